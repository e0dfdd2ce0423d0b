namespace Mfr.Eeg;

/// <summary>The outcome of the header pass: the common layout, the files to process and the files skipped.</summary>
/// <param name="ChannelLabels">Normalised output channel labels, in vector order.</param>
/// <param name="SamplingRateHz">Output sampling rate.</param>
/// <param name="Recordings">Files to process, in name order.</param>
/// <param name="SkippedFiles">Files skipped at the header pass, in name order.</param>
internal sealed record EegPreparationPlan(
    IReadOnlyList<string> ChannelLabels,
    int SamplingRateHz,
    IReadOnlyList<EegPlannedRecording> Recordings,
    IReadOnlyList<EegSkippedFile> SkippedFiles);

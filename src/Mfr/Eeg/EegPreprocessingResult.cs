namespace Mfr.Eeg;

/// <summary>Every usable recording's segments, the common layout, and the files left out.</summary>
/// <param name="ChannelLabels">Normalised channel labels in vector order (e.g. FP1, FP2, ...).</param>
/// <param name="SamplingRateHz">Sampling rate of the segments; a segment has this many samples per channel.</param>
/// <param name="Recordings">Usable recordings in name order (for a split by recording).</param>
/// <param name="SkippedFiles">Files left out, with reasons, in name order.</param>
public sealed record EegPreprocessingResult(
    IReadOnlyList<string> ChannelLabels,
    int SamplingRateHz,
    IReadOnlyList<EegRecording> Recordings,
    IReadOnlyList<EegSkippedFile> SkippedFiles)
{
    /// <summary>Length of one segment vector: channels x sampling rate.</summary>
    public int VectorLength => ChannelLabels.Count * SamplingRateHz;

    /// <summary>Segments over all recordings.</summary>
    public long SegmentCount => Recordings.Sum(recording => (long)recording.SegmentCount);
}

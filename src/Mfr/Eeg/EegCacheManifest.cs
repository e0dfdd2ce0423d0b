namespace Mfr.Eeg;

/// <summary>
/// The manifest.json of an EEG cache: what went in (files by SHA-256, settings), what came out (layout,
/// rows per recording and split) and what was left out (skipped files with reasons).
/// </summary>
/// <param name="SourceFolder">Folder the files were read from (informative; not part of the identity).</param>
/// <param name="Sources">Every EDF/BDF file found, used or skipped, in name order.</param>
/// <param name="Settings">Preprocessing and split settings.</param>
/// <param name="ChannelLabels">Normalised channel labels in vector order.</param>
/// <param name="SamplingRateHz">Sampling rate of the segments.</param>
/// <param name="VectorLength">Row length of both .npy files: channels x sampling rate.</param>
/// <param name="TrainSegmentCount">Rows of train.npy.</param>
/// <param name="HeldOutSegmentCount">Rows of heldout.npy.</param>
/// <param name="Recordings">Used recordings in name order, with their split and rows.</param>
/// <param name="SkippedFiles">Files left out, with reasons.</param>
public sealed record EegCacheManifest(
    string SourceFolder,
    IReadOnlyList<EegCacheSource> Sources,
    EegCacheSettings Settings,
    IReadOnlyList<string> ChannelLabels,
    int SamplingRateHz,
    int VectorLength,
    long TrainSegmentCount,
    long HeldOutSegmentCount,
    IReadOnlyList<EegCacheRecording> Recordings,
    IReadOnlyList<EegSkippedFile> SkippedFiles);

namespace Mfr.Eeg;

/// <summary>The segments of one recording after preprocessing.</summary>
/// <param name="Name">Recording name: the file's path relative to the prepared folder, with '/' separators.</param>
/// <param name="SourcePath">The EDF/BDF file it came from.</param>
/// <param name="SourceSamplingRateHz">The file's sampling rate of the kept channels (before any resampling).</param>
/// <param name="SegmentCount">Number of 1-second segments (the last one zero-padded when partial).</param>
/// <param name="Segments">Segment vectors, <c>[SegmentCount, channels x fs]</c>, channel-major within a vector.</param>
public sealed record EegRecording(string Name, string SourcePath, int SourceSamplingRateHz, int SegmentCount, float[] Segments);

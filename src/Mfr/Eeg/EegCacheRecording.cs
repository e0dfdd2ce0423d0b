namespace Mfr.Eeg;

/// <summary>Where one recording's segments are in the cache.</summary>
/// <param name="Name">Recording name (path relative to the source folder).</param>
/// <param name="Split"><c>train</c> or <c>heldout</c>: which .npy file holds it.</param>
/// <param name="SourceSamplingRateHz">The file's rate before resampling.</param>
/// <param name="FirstRow">Index of its first segment (row) in that file.</param>
/// <param name="SegmentCount">Its number of segments (consecutive rows).</param>
public sealed record EegCacheRecording(string Name, string Split, int SourceSamplingRateHz, long FirstRow, int SegmentCount);

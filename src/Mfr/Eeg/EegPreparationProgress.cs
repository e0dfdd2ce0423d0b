namespace Mfr.Eeg;

/// <summary>Progress of a preparation run, reported after each file.</summary>
/// <param name="FilesDone">Files finished (processed or skipped).</param>
/// <param name="FileCount">Files in the run.</param>
/// <param name="LastFile">Name of the file just finished.</param>
/// <param name="SegmentCount">Segments produced so far.</param>
public sealed record EegPreparationProgress(int FilesDone, int FileCount, string LastFile, long SegmentCount);

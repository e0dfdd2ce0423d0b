namespace Mfr.Eeg;

/// <summary>One input file of a cache, identified by content.</summary>
/// <param name="Name">Path relative to the source folder, '/' separators.</param>
/// <param name="Bytes">File size.</param>
/// <param name="Sha256">SHA-256 of the file, lower-case hex.</param>
public sealed record EegCacheSource(string Name, long Bytes, string Sha256);

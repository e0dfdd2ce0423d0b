namespace Mfr.Eeg;

/// <summary>A file left out of the prepared data, and why (unreadable, other channel set or rate, too short...).</summary>
/// <param name="Name">The file's path relative to the prepared folder, with '/' separators.</param>
/// <param name="Reason">One-line reason, naming the problem.</param>
public sealed record EegSkippedFile(string Name, string Reason);

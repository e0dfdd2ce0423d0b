namespace Mfr.Eeg;

/// <summary>The recordings of each side of a train/held-out split.</summary>
/// <param name="Train">Training recordings, sorted by name (ordinal).</param>
/// <param name="HeldOut">Held-out recordings, sorted by name (ordinal).</param>
public sealed record EegSplitResult(IReadOnlyList<string> Train, IReadOnlyList<string> HeldOut)
{
    /// <summary>True when <paramref name="recordingName"/> is held out.</summary>
    public bool IsHeldOut(string recordingName) => HeldOut.Contains(recordingName, StringComparer.Ordinal);
}

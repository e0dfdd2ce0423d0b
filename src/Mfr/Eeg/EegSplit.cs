using Mfr.Numerics;

namespace Mfr.Eeg;

/// <summary>
/// Train/held-out split BY RECORDING (segments of one recording are strongly correlated, so splitting by
/// segment would leak): the names are sorted (so the split does not depend on file enumeration order),
/// shuffled with <see cref="Rng"/> from the seed (Fisher-Yates), and the first round(fraction x count)
/// are held out (at least one when the fraction is positive and there are two or more recordings; never all).
/// </summary>
public static class EegSplit
{
    /// <summary>Splits <paramref name="recordingNames"/> deterministically from <paramref name="seed"/>.</summary>
    /// <param name="recordingNames">Distinct recording names.</param>
    /// <param name="heldOutFraction">Fraction of recordings to hold out, in [0, 1).</param>
    /// <param name="seed">Split seed (recorded in reports and the cache manifest).</param>
    public static EegSplitResult ByRecording(IReadOnlyList<string> recordingNames, double heldOutFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(recordingNames);
        if (!(heldOutFraction >= 0 && heldOutFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "The held-out fraction must be in [0, 1).");
        var sorted = recordingNames.Order(StringComparer.Ordinal).ToArray();
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i] == sorted[i - 1]) throw new ArgumentException($"Recording name '{sorted[i]}' appears twice.", nameof(recordingNames));

        int heldOutCount = (int)Math.Round(heldOutFraction * sorted.Length, MidpointRounding.AwayFromZero);
        if (heldOutFraction > 0 && sorted.Length >= 2) heldOutCount = Math.Max(heldOutCount, 1);
        heldOutCount = Math.Min(heldOutCount, Math.Max(sorted.Length - 1, 0));

        var shuffled = (string[])sorted.Clone();
        var rng = new Rng(seed);
        for (int i = shuffled.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }
        var heldOut = shuffled.Take(heldOutCount).Order(StringComparer.Ordinal).ToArray();
        var train = shuffled.Skip(heldOutCount).Order(StringComparer.Ordinal).ToArray();
        return new EegSplitResult(train, heldOut);
    }
}

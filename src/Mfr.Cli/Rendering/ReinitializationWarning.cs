using System.Globalization;
using Mfr.Regularization;

namespace Mfr.Cli.Rendering;

/// <summary>
/// Warns before training when conditional re-initialisation is on but its threshold sits close to the
/// score that batch sampling alone gives a perfectly uniform SAE (<see cref="ActivityDeviation.SamplingFloor"/>):
/// at small B k / h the per-batch score cannot tell a bad initialisation from an unlucky batch.
/// </summary>
internal static class ReinitializationWarning
{
    /// <summary>Writes one warning line per SAE whose floor is at least half the threshold; nothing otherwise.</summary>
    public static void Write(TextWriter error, IEnumerable<(int K, int LatentCount)> saes, int batchSize, MfrConfig? mfr)
    {
        if (mfr is not { UsesReinitialization: true }) return;
        double threshold = mfr.ReinitializationSettings.Threshold;
        foreach (var sae in saes.Distinct())
        {
            double floor = ActivityDeviation.SamplingFloor(batchSize, sae.K, sae.LatentCount);
            if (floor < threshold / 2) continue;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warning: at batch {batchSize}, h {sae.LatentCount}, k {sae.K} a perfectly uniform SAE already scores {floor:F2} per batch from sampling alone (re-init threshold {threshold}); the check will mostly react to noise. Consider a larger batch, a higher --reinit-threshold or --mode penalty."));
        }
    }
}

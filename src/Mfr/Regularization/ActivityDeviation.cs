namespace Mfr.Regularization;

/// <summary>
/// The re-initialisation score of SPEC 2 (paper section 2, conditional re-initialisation): with
/// r_j the fraction of samples of a batch in which latent j is non-zero and the target rate
/// tau = k / h, <c>delta = mean_j (|r_j - tau| / tau)^3</c>. A well-spread TopK SAE scores near 0;
/// one whose activity concentrates on few latents scores high (all activity on k latents gives
/// ((h - k) / k)^3 * k / h + (h - k) / h).
/// </summary>
public static class ActivityDeviation
{
    /// <summary>The score for one batch.</summary>
    /// <param name="fireCounts">Samples in which each latent fired, <c>[h]</c>.</param>
    /// <param name="batchSize">Samples in the batch.</param>
    /// <param name="k">Active latents per sample.</param>
    public static double Score(ReadOnlySpan<int> fireCounts, int batchSize, int k)
    {
        int h = fireCounts.Length;
        if (h == 0 || batchSize <= 0) throw new ArgumentException($"Need latents and samples, got h={h}, batch={batchSize}.");
        double target = (double)k / h;
        double sum = 0;
        foreach (int count in fireCounts)
        {
            double deviation = Math.Abs(count / (double)batchSize - target) / target;
            sum += deviation * deviation * deviation;
        }
        return sum / h;
    }
}

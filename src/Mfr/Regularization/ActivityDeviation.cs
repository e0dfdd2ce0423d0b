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

    /// <summary>
    /// The score that sampling noise alone gives a perfectly uniform SAE: every latent fires in each
    /// sample independently with probability tau = k / h, so its count on a batch is Binomial(B, tau) and
    /// the expected score is <c>E |X / (B tau) - 1|^3</c>. It is large when B k / h is small (batch 500,
    /// h 3072, k 6: 1.80; batch 1024, h 4096, k 12: 0.32; batch 10,000, h 512, k 32: 0.0002), and a
    /// threshold near it cannot tell a bad initialisation from an unlucky batch.
    /// </summary>
    /// <param name="batchSize">Samples per batch B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="latentCount">h.</param>
    public static double SamplingFloor(int batchSize, int k, int latentCount)
    {
        if (batchSize < 1 || k < 1 || latentCount < k) throw new ArgumentException($"Need B >= 1 and 1 <= k <= h, got B={batchSize}, k={k}, h={latentCount}.");
        double tau = (double)k / latentCount;
        if (tau >= 1) return 0;
        double mean = batchSize * tau;
        // Binomial pmf by the recurrence p(x+1) = p(x) (B - x) / (x + 1) tau / (1 - tau), started at the
        // mode in log space so neither end underflows; terms beyond 40 standard deviations are negligible.
        int mode = (int)Math.Floor((batchSize + 1) * tau);
        double spread = Math.Sqrt(mean * (1 - tau));
        int low = Math.Max(0, (int)(mean - 40 * spread) - 1), high = Math.Min(batchSize, (int)(mean + 40 * spread) + 1);
        double logMode = LogChoose(batchSize, mode) + mode * Math.Log(tau) + (batchSize - mode) * Math.Log(1 - tau);
        double ratio = tau / (1 - tau), total = 0, mass = 0;
        double pmf = Math.Exp(logMode);
        for (int x = mode; x <= high; x++)
        {
            total += pmf * Math.Pow(Math.Abs(x / mean - 1), 3);
            mass += pmf;
            pmf *= (batchSize - x) / (x + 1.0) * ratio;
        }
        pmf = Math.Exp(logMode);
        for (int x = mode - 1; x >= low; x--)
        {
            pmf *= (x + 1.0) / (batchSize - x) / ratio;
            total += pmf * Math.Pow(Math.Abs(x / mean - 1), 3);
            mass += pmf;
        }
        return total / mass;
    }

    private static double LogChoose(int n, int x)
    {
        double sum = 0;
        for (int i = 1; i <= x; i++) sum += Math.Log(n - x + i) - Math.Log(i);
        return sum;
    }
}

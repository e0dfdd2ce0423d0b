using Mfr.Matching;

namespace Mfr.Consistency;

/// <summary>
/// Consistency between independent runs, as pure functions of their decoder matrices (rows are latents'
/// directions; they are unit-normalised here, so any row scale is accepted).
/// <list type="bullet">
/// <item>PW-MCC (Song et al. 2025, "Position: feature consistency in SAEs"; code xiangchensong/sae-feature-consistency
/// 32da471, <c>examples/dictionary_learning/utils.py</c> MCC and <c>examples/evaluate_mcc.py</c> calculate_mutual_mcc):
/// per pair of runs, rows normalised, cost 1 - cosine solved by linear_sum_assignment, MCC = mean matched signed cosine;
/// then mean and np.std over all pairs. Here the same optimum comes from <see cref="FeatureMatching.Mmcs"/> (exact
/// assignment maximising the total cosine, <see cref="LinearAssignment"/>).</item>
/// <item>shared@tau (Paulo and Belrose 2025): the share of latents whose optimal match in the other run has cosine
/// &gt;= tau, averaged over pairs.</item>
/// <item>Per-latent stability: for each latent, the share of the other runs in which its optimal match has cosine
/// &gt;= tau; <see cref="CompareWithTruth"/> relates it to ground-truth recovery.</item>
/// </list>
/// Step-0 similarity is <see cref="Measure"/> applied to the runs' initial decoders.
/// </summary>
public static class RunConsistency
{
    /// <summary>The thresholds of Paulo and Belrose: cosine 0.5, 0.7, 0.9.</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = [0.5, 0.7, 0.9];

    /// <summary>PW-MCC, shared@tau and per-latent stability of the runs whose decoders are <paramref name="decoders"/>.</summary>
    /// <param name="decoders">One decoder per run, each <c>[latentCount, dimension]</c>.</param>
    /// <param name="latentCount">Latents h of every run, at least 1.</param>
    /// <param name="dimension">Input width d.</param>
    /// <param name="thresholds">Cosine thresholds; <see cref="DefaultThresholds"/> when null.</param>
    public static ConsistencyMetrics Measure(IReadOnlyList<float[]> decoders, int latentCount, int dimension, IReadOnlyList<double>? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(decoders);
        thresholds ??= DefaultThresholds;
        if (decoders.Count < 2) throw new ArgumentException($"Consistency needs at least two runs, got {decoders.Count}.");
        if (latentCount < 1 || dimension < 1) throw new ArgumentException($"Decoders need at least one latent and one dimension, got [{latentCount}, {dimension}].");
        for (int run = 0; run < decoders.Count; run++)
            if (decoders[run].Length != (long)latentCount * dimension)
                throw new ArgumentException($"Decoder of run {run} has {decoders[run].Length} floats; [{latentCount}, {dimension}] needs {(long)latentCount * dimension}.");
        foreach (double threshold in thresholds)
            if (!double.IsFinite(threshold)) throw new ArgumentException($"Consistency thresholds must be finite, got {threshold}.");

        int runs = decoders.Count, t = thresholds.Count;
        // Compared in float, as a float32 tensor comparison in the reference Python code would.
        var floatThresholds = thresholds.Select(value => (float)value).ToArray();
        var stableCounts = new int[t][][];
        for (int k = 0; k < t; k++) stableCounts[k] = Enumerable.Range(0, runs).Select(_ => new int[latentCount]).ToArray();
        var pairs = new List<PairConsistency>();
        for (int a = 0; a < runs; a++)
            for (int b = a + 1; b < runs; b++)
            {
                var matching = FeatureMatching.Mmcs(decoders[a], decoders[b], latentCount, latentCount, dimension);
                var shared = new double[t];
                for (int k = 0; k < t; k++)
                {
                    int count = 0;
                    foreach (var pair in matching.Pairs)
                    {
                        if (pair.Cosine < floatThresholds[k]) continue;
                        count++;
                        // One matching serves both directions: row latent of a, column latent of b.
                        stableCounts[k][a][pair.Row]++;
                        stableCounts[k][b][pair.Column]++;
                    }
                    shared[k] = (double)count / latentCount;
                }
                pairs.Add(new PairConsistency(a, b, matching.Mean, shared));
            }

        double mean = pairs.Average(p => p.Mcc);
        double deviation = Math.Sqrt(pairs.Sum(p => (p.Mcc - mean) * (p.Mcc - mean)) / pairs.Count);
        var sharedMeans = Enumerable.Range(0, t).Select(k => pairs.Average(p => p.SharedFractions[k])).ToArray();
        var stability = stableCounts
            .Select(perRun => (IReadOnlyList<double[]>)perRun.Select(counts => counts.Select(c => (double)c / (runs - 1)).ToArray()).ToArray())
            .ToArray();
        return new ConsistencyMetrics(runs, thresholds.ToArray(), mean, deviation, sharedMeans, pairs, stability);
    }

    /// <summary>
    /// Whether the stable latents of one run are the ones that recover true features: each latent is matched to the
    /// true features by the exact assignment (<see cref="FeatureMatching.RecoverGroundTruth"/>, as GT MMCS), matches
    /// the truth when that cosine is &gt;= <paramref name="truthThreshold"/>, and is stable when its stability is
    /// &gt;= <paramref name="stableShare"/>.
    /// </summary>
    /// <param name="stability">The run's stability per latent, <c>[latentCount]</c> (a row of <see cref="ConsistencyMetrics.Stability"/>).</param>
    /// <param name="decoder">The run's decoder, <c>[latentCount, dimension]</c>.</param>
    /// <param name="latentCount">Latents h.</param>
    /// <param name="trueFeatures">True features as rows, <c>[featureCount, dimension]</c>.</param>
    /// <param name="featureCount">True features n.</param>
    /// <param name="dimension">Input width d.</param>
    /// <param name="truthThreshold">Cosine at which a latent matches a true feature (default 0.7).</param>
    /// <param name="stableShare">Stability at which a latent is stable (default 1: matched in every other run).</param>
    public static StabilityTruthAgreement CompareWithTruth(
        IReadOnlyList<double> stability, ReadOnlySpan<float> decoder, int latentCount,
        ReadOnlySpan<float> trueFeatures, int featureCount, int dimension,
        double truthThreshold = 0.7, double stableShare = 1.0)
    {
        ArgumentNullException.ThrowIfNull(stability);
        if (stability.Count != latentCount) throw new ArgumentException($"Stability has {stability.Count} entries for {latentCount} latents.");
        if (!double.IsFinite(truthThreshold) || !double.IsFinite(stableShare))
            throw new ArgumentException($"Thresholds must be finite, got truth {truthThreshold} and stability {stableShare}.");
        var recovery = FeatureMatching.RecoverGroundTruth(decoder, latentCount, trueFeatures, featureCount, dimension, [truthThreshold]);
        var truthCosine = new double[latentCount];
        foreach (var pair in recovery.Matching.Pairs) truthCosine[pair.Row] = pair.Cosine;
        float threshold = (float)truthThreshold;
        var matched = new bool[latentCount];
        foreach (var pair in recovery.Matching.Pairs) matched[pair.Row] = pair.Cosine >= threshold;
        int stableCount = 0, stableMatching = 0, unstableMatching = 0;
        for (int latent = 0; latent < latentCount; latent++)
        {
            bool stable = stability[latent] >= stableShare;
            if (stable) stableCount++;
            if (matched[latent] && stable) stableMatching++;
            if (matched[latent] && !stable) unstableMatching++;
        }
        return new StabilityTruthAgreement(stableShare, truthThreshold, stableCount, stableMatching, latentCount - stableCount, unstableMatching,
            Pearson(stability, truthCosine));
    }

    /// <summary>Pearson correlation of two equally long series; NaN when either is constant.</summary>
    private static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double meanX = x.Average(), meanY = y.Average(), covariance = 0, varianceX = 0, varianceY = 0;
        for (int i = 0; i < x.Count; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            varianceX += (x[i] - meanX) * (x[i] - meanX);
            varianceY += (y[i] - meanY) * (y[i] - meanY);
        }
        return varianceX == 0 || varianceY == 0 ? double.NaN : covariance / Math.Sqrt(varianceX * varianceY);
    }
}

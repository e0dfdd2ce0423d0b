using Mfr.Data;
using Mfr.Matching;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Evaluation;

/// <summary>
/// The periodic evaluation of synthetic runs (paper figure 8, SPEC 3 measures): each SAE's ground-truth
/// MMCS and the fraction of the true features it recovers at cosine 0.7 / 0.8 / 0.9, written to
/// metrics.jsonl as "recovery" lines (<see cref="RecoveryMetrics"/>). Per SAE it costs one cosine matrix
/// [h, n] (2 h n d flops) and one exact assignment; it reads the decoders only.
/// </summary>
public sealed class GroundTruthRecoveryEvaluator : IPeriodicEvaluator
{
    /// <summary>Line type of its entries in metrics.jsonl.</summary>
    public const string Type = "recovery";

    private readonly float[] trueFeatures;
    private readonly int featureCount, dimension;

    /// <summary>Evaluates against <paramref name="trueFeatures"/> (copied).</summary>
    /// <param name="trueFeatures">True features as rows, <c>[featureCount, dimension]</c>.</param>
    /// <param name="featureCount">n, at least 1.</param>
    /// <param name="dimension">d, at least 1.</param>
    public GroundTruthRecoveryEvaluator(ReadOnlySpan<float> trueFeatures, int featureCount, int dimension)
    {
        if (featureCount < 1 || dimension < 1 || trueFeatures.Length != (long)featureCount * dimension)
            throw new ArgumentException($"True features [{featureCount}, {dimension}] need {(long)featureCount * dimension} floats, got {trueFeatures.Length}.");
        this.trueFeatures = trueFeatures.ToArray();
        this.featureCount = featureCount;
        this.dimension = dimension;
    }

    /// <summary>The evaluator for a run on <paramref name="data"/>: its generator's true features when it is generated (synthetic or SynthSAEBench), else null (no true features to compare with).</summary>
    public static GroundTruthRecoveryEvaluator? For(DataSpecification data)
    {
        using var source = DataSources.OpenGroundTruth(data);
        return source is null ? null : For(source);
    }

    /// <summary>The evaluator against the true features of <paramref name="source"/>.</summary>
    public static GroundTruthRecoveryEvaluator For(IGroundTruthSource source) => new(source.TrueFeatures, source.FeatureCount, source.Dimension);

    /// <inheritdoc/>
    public string LineType => Type;

    /// <inheritdoc/>
    public object Evaluate(long step, IReadOnlyList<EnsembleMember> members) => Measure(step, members.Select(m => m.Sae).ToArray());

    /// <summary>Ground-truth MMCS and recovery of each SAE.</summary>
    /// <param name="step">Step recorded in the result.</param>
    /// <param name="saes">SAEs of input width d.</param>
    public RecoveryMetrics Measure(long step, IReadOnlyList<TopKSae> saes)
    {
        var thresholds = FeatureMatching.DefaultThresholds.ToArray();
        var mmcs = new double[saes.Count];
        var recovered = new double[saes.Count][];
        for (int m = 0; m < saes.Count; m++)
        {
            var sae = saes[m];
            if (sae.Config.InputDim != dimension) throw new ArgumentException($"SAE {m} has input width {sae.Config.InputDim}; the true features have {dimension}.");
            var recovery = FeatureMatching.RecoverGroundTruth(sae.Decoder, sae.Config.LatentCount, trueFeatures, featureCount, dimension, thresholds);
            mmcs[m] = recovery.Mmcs;
            recovered[m] = recovery.Recovery.Select(r => r.Fraction).ToArray();
        }
        return new RecoveryMetrics(step, thresholds, mmcs, recovered);
    }

    /// <summary>The recovery lines of a metrics log, in step order as written (none for runs logged without them).</summary>
    public static IReadOnlyList<RecoveryMetrics> ReadLog(string metricsPath) => MetricLog.Read<RecoveryMetrics>(metricsPath, Type).ToList();
}

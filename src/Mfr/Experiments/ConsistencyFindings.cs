using Mfr.Data;
using Mfr.Regularization;

namespace Mfr.Experiments;

/// <summary>The findings of a consistency experiment (<see cref="ConsistencyExperimentResult.Findings"/>), from its settings and its rows.</summary>
public static class ConsistencyFindings
{
    /// <summary>What the settings alone tell before anything is trained: re-initialisation within sampling noise, training that ends in the warm-up, evaluation on the training file.</summary>
    /// <param name="config">The settings.</param>
    /// <param name="data">The data the runs train on (for the held-out check).</param>
    public static IReadOnlyList<Finding> BeforeTraining(ConsistencyExperimentConfig config, DataSpecification data)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        var findings = new List<Finding>();
        long steps = (config.SampleCount + config.BatchSize - 1) / config.BatchSize;
        var couplings = config.VariantList.Select(v => v.Regularization(config.MfrTemplate)).OfType<MfrConfig>().ToArray();
        foreach (var mfr in couplings.DistinctBy(m => m.UsesReinitialization))
            findings.AddRange(FindingChecks.ReinitializationWithinSamplingNoise([(config.K, config.LatentCount)], config.BatchSize, mfr));
        // MFR's cosine warm-up and mean-max's linear one reach half strength at different steps; one finding each.
        foreach (var mfr in couplings.DistinctBy(m => m.Mode == MfrMode.MeanMax))
            if (FindingChecks.WarmupLongerThanTraining(steps, mfr) is { } warmup) findings.Add(warmup);
        if (FindingChecks.EvaluatedOnTrainingData(data) is { } training) findings.Add(training);
        return findings.DistinctBy(f => f.Text).ToList();
    }

    /// <summary>
    /// Every finding: those before training; per variant a collapse of its coupled SAEs and a large dead-latent share;
    /// then per coupled variant the answer to issue 14's question (<see cref="FindingChecks.CouplingVersusBaseline"/>).
    /// </summary>
    public static IReadOnlyList<Finding> Of(ConsistencyExperimentConfig config, DataSpecification data, IReadOnlyList<ConsistencySaeResult> saes, IReadOnlyList<ConsistencyVariantSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(saes);
        ArgumentNullException.ThrowIfNull(summaries);
        var findings = new List<Finding>(BeforeTraining(config, data));
        var coupled = config.VariantList.Where(v => v.Couples).Select(v => v.Name).ToHashSet();
        foreach (var variant in saes.GroupBy(row => row.Variant))
        {
            if (coupled.Contains(variant.Key)
                && FindingChecks.CoupledSaesCollapsed(variant.Key, $"under {variant.Key} the coupled SAEs", "the data's features", [.. variant.Select(row => row.PartnerMmcs)]) is { } collapse)
            {
                findings.Add(collapse);
            }
            if (FindingChecks.ManyDeadLatents(variant.Key, [.. variant.Select(row => ($"seed {row.Seed} SAE {row.Index}", row.DeadLatents, config.LatentCount))]) is { } dead)
                findings.Add(dead);
        }
        foreach (var summary in summaries.Where(s => coupled.Contains(s.Variant)))
        {
            if (summary.PairedDifference(ConsistencyVariantSummary.Mse) is not { } mse) continue;
            findings.Add(FindingChecks.CouplingVersusBaseline(summary.Variant, summary.SharedDifference, summary.PwMccDifference, mse,
                summary.PairedDifference(ConsistencyVariantSummary.Recovered09)));
        }
        return findings;
    }
}

namespace Mfr.Experiments;

/// <summary>The findings of a synthetic experiment (<see cref="SyntheticExperimentResult.Findings"/>), from its settings and its per-SAE rows.</summary>
public static class SyntheticFindings
{
    /// <summary>What the settings alone tell of how training will go, before anything is trained (the CLI prints it at the start; the result carries it too).</summary>
    public static IReadOnlyList<Finding> BeforeTraining(SyntheticExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var findings = new List<Finding>(FindingChecks.ReinitializationWithinSamplingNoise([(config.K, config.LatentCount)], config.BatchSize, config.MfrTemplate));
        long steps = (config.SampleCount + config.BatchSize - 1) / config.BatchSize;
        if (FindingChecks.WarmupLongerThanTraining(steps, config.MfrTemplate) is { } warmup) findings.Add(warmup);
        return findings;
    }

    /// <summary>Every finding of the experiment: those before training, then per variant a collapse of its coupled SAEs and a large dead-latent share, then the budget.</summary>
    /// <param name="config">The settings.</param>
    /// <param name="saes">The per-SAE rows, all seeds and variants.</param>
    public static IReadOnlyList<Finding> Of(SyntheticExperimentConfig config, IReadOnlyList<SyntheticSaeResult> saes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(saes);
        var findings = new List<Finding>(BeforeTraining(config));
        foreach (var variant in saes.GroupBy(row => row.Variant))
        {
            // Only penalised variants are coupled (Beta is null for the baseline and the re-init-only ablation); the
            // collapse counts when every SAE of every seed sits on its partner.
            if (variant.All(row => row.Beta is not null)
                && FindingChecks.CoupledSaesCollapsed(variant.Key, $"under {variant.Key} the coupled SAEs", "the true features", [.. variant.Select(row => row.PartnerMmcs)]) is { } collapse)
            {
                findings.Add(collapse);
            }
            if (FindingChecks.ManyDeadLatents(variant.Key, [.. variant.Select(row => ($"seed {row.Seed} SAE {row.Index}", row.DeadLatents, config.LatentCount))]) is { } dead)
                findings.Add(dead);
        }
        // Measured (README): at a tenth of the paper's budget recovery is still rising steeply, and the ranking of
        // baseline and MFR changed between 5 M and 50 M samples.
        if (FindingChecks.BudgetBelowPaper(config.SampleCount, SyntheticExperimentConfig.Paper().SampleCount,
            "ground-truth recovery is still rising at this budget (report figure 8), so compare at the paper's budget before drawing conclusions.") is { } budget)
        {
            findings.Add(budget);
        }
        return findings;
    }
}

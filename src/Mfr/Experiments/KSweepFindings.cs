namespace Mfr.Experiments;

/// <summary>The findings of a k sweep (<see cref="KSweepResult.Findings"/>), from its settings, its rows and the coupled pairs' MMCS.</summary>
public static class KSweepFindings
{
    /// <summary>What the settings alone tell of how training will go, before anything is trained (the CLI prints it at the start; the result carries it too).</summary>
    public static IReadOnlyList<Finding> BeforeTraining(KSweepConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return BeforeTraining(config.Settings());
    }

    /// <summary>The same from the settings without the data (`mfr eeg` and `mfr gpt2` make their data after the start line).</summary>
    public static IReadOnlyList<Finding> BeforeTraining(KSweepSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var findings = new List<Finding>(FindingChecks.ReinitializationWithinSamplingNoise(settings.Ks.Select(k => (k, settings.LatentCount)), settings.Training.BatchSize, settings.Mfr));
        if (FindingChecks.WarmupLongerThanTraining(settings.Training.StepCount, settings.Mfr) is { } warmup) findings.Add(warmup);
        return findings;
    }

    /// <summary>Every finding of the sweep: those before training, an evaluation on the training data, a collapse of the MFR ensemble, then large dead-latent shares (baseline, then MFR).</summary>
    /// <param name="config">The settings.</param>
    /// <param name="rows">One row per k.</param>
    /// <param name="mfrPairMmcs">MMCS between each coupled pair at the last step; null without a penalty.</param>
    public static IReadOnlyList<Finding> Of(KSweepConfig config, IReadOnlyList<KSweepRow> rows, double[]? mfrPairMmcs)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rows);
        var findings = new List<Finding>(BeforeTraining(config));
        if (FindingChecks.EvaluatedOnTrainingData(config.Data) is { } training) findings.Add(training);
        if (mfrPairMmcs is not null && FindingChecks.CoupledSaesCollapsed("MFR", "the coupled MFR SAEs", "the data's features", mfrPairMmcs) is { } collapse)
            findings.Add(collapse);
        if (FindingChecks.ManyDeadLatents("baseline", [.. rows.Select(row => ($"k={row.K}", row.BaselineDead, config.LatentCount))]) is { } baselineDead)
            findings.Add(baselineDead);
        if (FindingChecks.ManyDeadLatents("MFR", [.. rows.Select(row => ($"k={row.K}", row.MfrDead, config.LatentCount))]) is { } mfrDead)
            findings.Add(mfrDead);
        return findings;
    }
}

using System.Globalization;
using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// The configuration table of a training run's report section: one readable row per setting of its
/// run.json (data, SAEs, training, regularization), named as the paper and SPEC name them, instead of the
/// records' own ToString (<c>SyntheticDataConfig { InputDim = 256, ... }</c>). The exact JSON stays in the
/// report's provenance.
/// </summary>
internal static class RunConfigurationTable
{
    /// <summary>Caption of the table.</summary>
    public const string Caption = "Configuration of the run (run.json).";

    /// <summary>The rows, in the order data, SAEs, training, regularization.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Rows(RunSpecification specification)
    {
        ArgumentNullException.ThrowIfNull(specification);
        var rows = new List<KeyValuePair<string, string>>();
        AddData(rows, specification);
        Add(rows, "SAEs", Saes(specification.Saes));
        var training = specification.Training;
        Add(rows, "training samples", $"{N(training.SampleCount)} ({N(training.StepCount)} steps of batch {N(training.BatchSize)})");
        Add(rows, "optimizer", training.Optimizer == OptimizerKind.AdamW ? $"AdamW, learning rate {G(training.LearningRate)}, weight decay {G(training.WeightDecay)}" : $"Adam, learning rate {G(training.LearningRate)}");
        Add(rows, "initialisation seed", training.Seed.ToString(CultureInfo.InvariantCulture));
        Add(rows, "dead-latent window", $"{N(training.DeadLatentWindowSamples)} training samples");
        AddRegularization(rows, specification.Regularization, specification.Saes.Length);
        return rows;
    }

    private static void AddData(List<KeyValuePair<string, string>> rows, RunSpecification specification)
    {
        var data = specification.Data;
        if (data.Kind == "synthetic")
        {
            var synthetic = data.Synthetic ?? new SyntheticDataConfig();
            Add(rows, "data", "synthetic benchmark (SPEC 3)");
            Add(rows, "input dimension d", N(synthetic.InputDim));
            Add(rows, "true features n", $"{N(synthetic.FeatureCount)} in G = {N(synthetic.GroupCount)} groups");
            Add(rows, "active features per sample s", N(synthetic.ActiveFeatures));
            Add(rows, "frequency decay λ", G(synthetic.FrequencyDecay));
            Add(rows, "data seed", synthetic.Seed.ToString(CultureInfo.InvariantCulture));
            return;
        }
        if (data.Kind == DataSpecification.SynthSaeBenchKind)
        {
            var benchmark = data.SynthSaeBenchOrDefault;
            Add(rows, "data", "SynthSAEBench (Chanin & Garriga-Alonso 2026)");
            Add(rows, "input dimension d", N(benchmark.InputDim));
            Add(rows, "true features n", $"{N(benchmark.FeatureCount)}, Zipf exponent {G(benchmark.ZipfExponent)}, p {G(benchmark.MinFiringProbability)} to {G(benchmark.MaxFiringProbability)}");
            Add(rows, "hierarchy", $"{N(benchmark.HierarchyRootCount)} roots, branching {N(benchmark.HierarchyBranching)}, depth {N(benchmark.HierarchyDepth)}");
            Add(rows, "correlation rank", N(benchmark.CorrelationRank));
            Add(rows, "data seed", benchmark.Seed.ToString(CultureInfo.InvariantCulture));
            return;
        }
        Add(rows, "data", data.Path ?? "(no path)");
        if (data.TensorName is { } tensor) Add(rows, "tensor", tensor);
        Add(rows, "input dimension d", N(specification.Saes[0].InputDim));
        Add(rows, "held-out data", data.HeldOutPath ?? "none: evaluated on the training file");
        Add(rows, "shuffling seed", data.Seed.ToString(CultureInfo.InvariantCulture));
    }

    // Identical SAEs are said once with their count ("2 × h = 512, k = 32"); a sweep ensemble lists each.
    private static string Saes(IReadOnlyList<SaeConfig> saes)
    {
        var groups = saes.GroupBy(Describe).ToList();
        return groups.Count == 1 && saes.Count > 1 ? $"{saes.Count} × {groups[0].Key}" : string.Join("; ", saes.Select(Describe));
    }

    private static string Describe(SaeConfig sae) =>
        $"h = {N(sae.LatentCount)}, k = {N(sae.K)}" + (sae.Activation == SaeActivation.TopK ? "" : $", {sae.Activation}") + (sae.UseDecoderBias ? ", decoder bias" : "");

    private static void AddRegularization(List<KeyValuePair<string, string>> rows, MfrConfig? mfr, int saeCount)
    {
        Add(rows, "regularization", (mfr?.Mode ?? MfrMode.Baseline) switch
        {
            MfrMode.Mfr => "MFR: penalty and re-initialisation",
            MfrMode.Penalty => "penalty only (ablation)",
            MfrMode.Reinit => "re-initialisation only (ablation)",
            MfrMode.MeanMax => "mean-max: symmetric mean-max cosine penalty (no assignment, no re-initialisation)",
            _ => saeCount == 1 ? "none (baseline)" : "none (baseline: the SAEs train independently)",
        });
        if (mfr is null) return;
        if (mfr.CouplesSaes)
        {
            Add(rows, "penalty β", mfr.Beta is double beta ? G(beta) : "auto (set at step 1 so the penalty equals the initial reconstruction loss)");
            // The mean-max port warms up linearly (MeanMaxPenalty.WarmupWeight), MFR by a cosine (SPEC 2).
            string shape = mfr.Mode == MfrMode.MeanMax ? "linear" : "cosine";
            Add(rows, "penalty warm-up", mfr.WarmupSteps == 0 ? "none" : $"{N(mfr.WarmupSteps)} steps ({shape})");
        }
        // Mean-max compares every latent with every other SAE's (max cosine), so it solves no assignment.
        if (mfr.UsesPenalty)
            Add(rows, "assignment refresh", mfr.AssignmentRefreshSteps == 1 ? "every step (exact)" : $"every {N(mfr.AssignmentRefreshSteps)} steps");
        if (mfr.UsesReinitialization)
        {
            var reinit = mfr.ReinitializationSettings;
            string window = reinit.WindowSteps == 0 ? "checked every step" : $"checked during the first {N(reinit.WindowSteps)} steps";
            Add(rows, "re-initialisation", $"threshold θ = {G(reinit.Threshold)}, {window}");
        }
    }

    private static void Add(List<KeyValuePair<string, string>> rows, string key, string value) => rows.Add(new(key, value));

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string G(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}

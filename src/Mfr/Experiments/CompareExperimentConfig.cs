using Mfr.Consistency;

namespace Mfr.Experiments;

/// <summary>`mfr compare SAE_A SAE_B`: how alike the dictionaries of two SAEs from any source are (issue 15 item 5).</summary>
public sealed record CompareExperimentConfig
{
    /// <summary>First SAE folder: Mfr, SAELens v6 or sparsify layout, tied or untied (required; <c>SAE_A</c>).</summary>
    public string SaeA { get; init; } = "";

    /// <summary>Second SAE folder, any layout (required; <c>SAE_B</c>); its latent count may differ from the first's, its d_in may not.</summary>
    public string SaeB { get; init; } = "";

    /// <summary>Cosine thresholds tau of shared@tau; default 0.5, 0.7, 0.9 (Paulo and Belrose 2025, as <see cref="RunConsistency.DefaultThresholds"/>).</summary>
    public double[] Thresholds { get; init; } = [.. RunConsistency.DefaultThresholds];

    /// <summary>`mfr compare`'s defaults (the SAEs still to be named).</summary>
    public static CompareExperimentConfig Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason naming the argument or config key.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(SaeA) || string.IsNullOrWhiteSpace(SaeB))
            throw new ArgumentException("SAE_A and SAE_B are required (saeA and saeB in a config file): the two SAE folders to compare.");
        if (Thresholds is null || Thresholds.Length == 0) throw new ArgumentException("thresholds needs at least one cosine threshold.");
        foreach (double threshold in Thresholds)
            if (!double.IsFinite(threshold) || threshold < -1 || threshold > 1) throw new ArgumentException($"thresholds must be cosines between -1 and 1, got {threshold}.");
    }
}

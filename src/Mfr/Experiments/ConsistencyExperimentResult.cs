using Mfr.Consistency;

namespace Mfr.Experiments;

/// <summary>One SAE's row of the consistency experiment.</summary>
/// <param name="Variant">The variant's name (<see cref="ConsistencyVariant.Name"/>).</param>
/// <param name="Seed">The training seed of its ensemble.</param>
/// <param name="Index">Position m in its ensemble (the member compared across seeds).</param>
/// <param name="InitSeed">The SAE's own initialisation seed.</param>
/// <param name="Mse">Held-out mean squared error.</param>
/// <param name="Fvu">Held-out fraction of variance unexplained.</param>
/// <param name="L0">Mean active latents per held-out sample.</param>
/// <param name="DeadLatents">Latents that never fired on the held-out data.</param>
/// <param name="GroundTruthMmcs">Matched mean cosine to the true features; null without ground truth.</param>
/// <param name="Recovered">Share of the true features matched at cosine &gt;= 0.7, 0.8, 0.9; null without ground truth.</param>
/// <param name="PartnerMmcs">MMCS to the other SAEs of its ensemble (coupled or not); NaN for an ensemble of one.</param>
/// <param name="Reinitializations">Re-initialisations during training.</param>
/// <param name="Beta">beta in force at the end (null when uncoupled).</param>
/// <param name="Benchmark">The benchmark's own headline metrics by name (SynthSAEBench's, when the world is one); null otherwise.</param>
public sealed record ConsistencySaeResult(
    string Variant, ulong Seed, int Index, ulong InitSeed,
    double Mse, double Fvu, double L0, int DeadLatents,
    double? GroundTruthMmcs, double[]? Recovered, double PartnerMmcs,
    int Reinitializations, double? Beta,
    IReadOnlyDictionary<string, double>? Benchmark = null);

/// <summary>
/// One seed's independent ensemble used as one dictionary (Gadgil et al. 2025, "Ensembling sparse autoencoders", naive
/// bagging): the union of its M SAEs' latents matched to the truth, and the mean of their reconstructions
/// (<see cref="BaggedReconstruction"/>).
/// </summary>
/// <param name="Variant">An uncoupled variant (baseline, auxk).</param>
/// <param name="Seed">Training seed.</param>
/// <param name="LatentCount">Latents of the union, M h.</param>
/// <param name="Mse">Held-out MSE of the mean reconstruction.</param>
/// <param name="Fvu">Held-out FVU of the mean reconstruction.</param>
/// <param name="GroundTruthMmcs">Matched mean cosine of the union to the true features (over min(M h, n) pairs); null without ground truth.</param>
/// <param name="Recovered">Share of the true features the union matches at cosine &gt;= 0.7, 0.8, 0.9; null without ground truth.</param>
public sealed record ConcatenatedEnsembleResult(string Variant, ulong Seed, int LatentCount, double Mse, double Fvu, double? GroundTruthMmcs, double[]? Recovered);

/// <summary>One variant's consistency across seeds, at the end of training and at step 0.</summary>
/// <param name="Variant">Variant name.</param>
/// <param name="Final">Between the trained decoders (member m of every seed, averaged over m).</param>
/// <param name="StepZero">The same between the decoders the runs started from (<see cref="InitialDecoders"/>).</param>
/// <param name="StabilityVersusTruth">
/// Whether the latents stable at cosine 0.7 across all seeds are the ones that match a true feature at 0.7
/// (<see cref="RunConsistency.CompareWithTruth"/>, counts summed over every seed and member); null without ground truth.
/// </param>
public sealed record ConsistencyVariantResult(string Variant, CrossSeedConsistency Final, CrossSeedConsistency StepZero, StabilityTruthAgreement? StabilityVersusTruth);

/// <summary>Everything the consistency experiment measured (written as results.json, kind "consistency").</summary>
/// <param name="Config">The settings.</param>
/// <param name="Data">Description of the data world (generator and its seed, or the file).</param>
/// <param name="Saes">Per-SAE rows, every seed and variant.</param>
/// <param name="Variants">Per variant, its cross-seed consistency.</param>
/// <param name="Ensembles">Per uncoupled variant and seed, its ensemble as one concatenated dictionary.</param>
/// <param name="WallSeconds">Wall time of the experiment in this process.</param>
/// <param name="Findings">What a reader must know to read the numbers right, and the answer per coupled variant (<see cref="ConsistencyFindings.Of"/>).</param>
public sealed record ConsistencyExperimentResult(
    ConsistencyExperimentConfig Config,
    string Data,
    IReadOnlyList<ConsistencySaeResult> Saes,
    IReadOnlyList<ConsistencyVariantResult> Variants,
    IReadOnlyList<ConcatenatedEnsembleResult> Ensembles,
    double WallSeconds,
    IReadOnlyList<Finding> Findings);

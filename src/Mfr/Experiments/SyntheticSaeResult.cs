namespace Mfr.Experiments;

/// <summary>One SAE's row of the synthetic experiment's table.</summary>
/// <param name="Variant">"baseline", "mfr beta=...", "penalty beta=..." or "reinit".</param>
/// <param name="Seed">The experiment seed (data and initialisations) of this repetition.</param>
/// <param name="Index">Position in its ensemble.</param>
/// <param name="InitSeed">The SAE's own initialisation seed.</param>
/// <param name="Mse">Held-out mean squared error.</param>
/// <param name="Fvu">Held-out fraction of variance unexplained.</param>
/// <param name="L0">Mean active latents per sample.</param>
/// <param name="DeadLatents">Latents that never fired on the held-out set.</param>
/// <param name="GroundTruthMmcs">Hungarian-matched mean cosine between decoder rows and the true features.</param>
/// <param name="Recovered">Fraction of true features matched at cosine &gt;= 0.7, 0.8, 0.9.</param>
/// <param name="PartnerMmcs">MMCS to the other SAE(s) of its ensemble (coupled for MFR, independent for the baseline).</param>
/// <param name="ConsistencyPearson">Pearson r, over latents, of best cosine to the other SAE(s) against best cosine to the true features (paper figure 3).</param>
/// <param name="Reinitializations">Re-initialisations during training.</param>
/// <param name="Beta">beta in force at the end (null for the baseline).</param>
public sealed record SyntheticSaeResult(
    string Variant, ulong Seed, int Index, ulong InitSeed,
    double Mse, double Fvu, double L0, int DeadLatents,
    double GroundTruthMmcs, double[] Recovered, double PartnerMmcs, double ConsistencyPearson,
    int Reinitializations, double? Beta);

/// <summary>Do a variant's features replicate? Share of one run's latents matched at cosine &gt;= 0.7 to an independently trained run's (different seed, no coupling).</summary>
/// <param name="Variant">Variant name.</param>
/// <param name="Seed">Experiment seed.</param>
/// <param name="MatchedShare">Share of latents whose Hungarian-matched partner in the other run has cosine &gt;= 0.7.</param>
/// <param name="Mmcs">MMCS between the two runs' SAEs.</param>
public sealed record CrossRunConsistency(string Variant, ulong Seed, double MatchedShare, double Mmcs);

/// <summary>Everything the synthetic experiment measured (written as results.json).</summary>
/// <param name="Config">The settings.</param>
/// <param name="Saes">Per-SAE rows.</param>
/// <param name="Consistency">Per variant and seed, cross-run replication.</param>
/// <param name="WallSeconds">Wall time of the experiment in this process.</param>
/// <param name="Findings">What a reader must know to read the numbers right (<see cref="SyntheticFindings.Of"/>); null in results written before findings were kept.</param>
public sealed record SyntheticExperimentResult(SyntheticExperimentConfig Config, IReadOnlyList<SyntheticSaeResult> Saes, IReadOnlyList<CrossRunConsistency> Consistency, double WallSeconds,
    IReadOnlyList<Finding>? Findings = null);

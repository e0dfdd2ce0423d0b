namespace Mfr.Experiments;

/// <summary>Cross-run consistency of completed runs trained elsewhere (<see cref="ConsistencyExperiment.MeasureRuns"/>, `mfr consistency --runs`).</summary>
/// <param name="Runs">The run folders, absolute, in the order given (run r is the r-th in every pair).</param>
/// <param name="SaesPerRun">M, SAEs per run; member m is compared with member m of the others.</param>
/// <param name="LatentCount">h of every SAE.</param>
/// <param name="InputDim">d of every SAE.</param>
/// <param name="Saes">Per run and SAE, its saved held-out numbers (NaN, dead -1, when the run saved no evaluation), its MMCS to the other SAEs of its run and, for generated data, its ground-truth recovery; the variant column holds the run folder's name, the seed its training seed.</param>
/// <param name="Consistency">PW-MCC, shared@tau and stability across the runs, at the end and at step 0 (and stability vs ground truth for generated data).</param>
public sealed record ConsistencyRunsResult(IReadOnlyList<string> Runs, int SaesPerRun, int LatentCount, int InputDim, IReadOnlyList<ConsistencySaeResult> Saes, ConsistencyVariantResult Consistency);

using Mfr.Evaluation;
using Mfr.Synthetic;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Experiments;

/// <summary>`mfr eval`: saved SAEs measured on a data source.</summary>
public sealed record EvalExperimentConfig
{
    /// <summary>SAE folders: Mfr's layout, SAELens v6 (a run's final/sae-M) or sparsify, tied or untied (required; <c>--sae</c>).</summary>
    public string[] Saes { get; init; } = [];

    /// <summary>
    /// "synthetic", a SynthSAEBench preset ("synthsaebench-scaled", "synthsaebench-16k"; "synthsaebench" for <see cref="SynthSaeBench"/>),
    /// a run folder (the data its run.json records), or an .npy/.safetensors file of vectors <c>[n, d]</c> (read in order).
    /// </summary>
    public string Data { get; init; } = "synthetic";

    /// <summary>SynthSAEBench settings when <see cref="Data"/> is "synthsaebench" (null: the 16k preset); its seed is <see cref="Synthetic"/>'s (<c>--data-seed</c>).</summary>
    public SynthSaeBenchConfig? SynthSaeBench { get; init; }

    /// <summary>Tensor to read from a .safetensors <see cref="Data"/> file holding several (<c>--tensor</c>); null: its only one.</summary>
    public string? TensorName { get; init; }

    /// <summary>The synthetic generator (its d is the SAEs'); use the training run's seed to share its features.</summary>
    public SyntheticDataConfig Synthetic { get; init; } = new();

    /// <summary>Batches to evaluate (a file is read at most once).</summary>
    public int Batches { get; init; } = 5;

    /// <summary>Vectors per batch.</summary>
    public int BatchSize { get; init; } = HeldOutData.MaxBatchSize;

    /// <summary>`mfr eval`'s defaults (the SAEs still to be named).</summary>
    public static EvalExperimentConfig Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason naming the flag or config key.</summary>
    public void Validate()
    {
        if (Saes is null || Saes.Length == 0) throw new ArgumentException("--sae DIR is required (saes in a config file): the SAE folder(s) to evaluate.");
        if (Batches < 1) throw new ArgumentException($"--batches (batches) must be at least 1, got {Batches}.");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size (batchSize) must be at least 1, got {BatchSize}.");
        if (string.IsNullOrWhiteSpace(Data)) throw new ArgumentException("--data must be 'synthetic' or an array file.");
    }
}

/// <summary>One evaluated SAE.</summary>
/// <param name="Folder">Its folder.</param>
/// <param name="K">k.</param>
/// <param name="LatentCount">h.</param>
/// <param name="Metrics">MSE, FVU, L0, dead latents, firing frequencies.</param>
public sealed record EvaluatedSae(string Folder, int K, int LatentCount, ReconstructionMetrics Metrics);

/// <summary>What `mfr eval` measured.</summary>
/// <param name="Data">Description of the evaluation data.</param>
/// <param name="Samples">Vectors evaluated.</param>
/// <param name="Saes">One per SAE folder, in the order given.</param>
public sealed record EvalExperimentResult(string Data, long Samples, IReadOnlyList<EvaluatedSae> Saes);

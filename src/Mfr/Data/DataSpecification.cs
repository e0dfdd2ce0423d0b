using Mfr.Synthetic;

namespace Mfr.Data;

/// <summary>
/// Where a run's vectors come from, recorded in run.json so a run can be resumed or evaluated
/// later: the built-in synthetic benchmark, or an array file (.npy or .safetensors, [n, d]).
/// </summary>
/// <param name="Kind">"synthetic" or "file".</param>
/// <param name="Synthetic">Generator settings when Kind is synthetic.</param>
/// <param name="Path">Array file when Kind is file.</param>
/// <param name="TensorName">Tensor inside a .safetensors file (null: its only tensor).</param>
/// <param name="Seed">Shuffling seed for file sources.</param>
/// <param name="HeldOutPath">Array file of held-out vectors for evaluation (e.g. the EEG cache's heldout.npy); without it a file run is evaluated on its training file.</param>
public sealed record DataSpecification(string Kind = "synthetic", SyntheticDataConfig? Synthetic = null, string? Path = null, string? TensorName = null, ulong Seed = 0, string? HeldOutPath = null)
{
    /// <summary>The built-in synthetic benchmark.</summary>
    public static DataSpecification ForSynthetic(SyntheticDataConfig config) => new("synthetic", config);

    /// <summary>Throws <see cref="ArgumentException"/> on an incomplete specification.</summary>
    public void Validate()
    {
        switch (Kind)
        {
            case "synthetic":
                (Synthetic ?? new SyntheticDataConfig()).Validate();
                break;
            case "file":
                if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("A file data source needs a path.");
                if (!File.Exists(Path)) throw new FileNotFoundException($"Data file not found: {Path}", Path);
                break;
            default:
                throw new ArgumentException($"Unknown data kind '{Kind}'; expected 'synthetic' or a file path.");
        }
    }
}

using System.Text.Json.Serialization;
using Mfr.Synthetic;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Data;

/// <summary>
/// Where a run's vectors come from, recorded in run.json so a run can be resumed or evaluated
/// later: the built-in synthetic benchmark, SynthSAEBench, or an array file (.npy or .safetensors, [n, d]).
/// </summary>
/// <param name="Kind">"synthetic", "synthsaebench" or "file".</param>
/// <param name="Synthetic">Generator settings when Kind is synthetic.</param>
/// <param name="Path">Array file when Kind is file.</param>
/// <param name="TensorName">Tensor inside a .safetensors file (null: its only tensor).</param>
/// <param name="Seed">Shuffling seed for file sources.</param>
/// <param name="HeldOutPath">Array file of held-out vectors for evaluation (e.g. the EEG cache's heldout.npy); without it a file run is evaluated on its training file.</param>
/// <param name="SynthSaeBench">Generator settings when Kind is synthsaebench (null: SynthSAEBench-16k); absent from run.json files written before it existed.</param>
public sealed record DataSpecification(string Kind = "synthetic", SyntheticDataConfig? Synthetic = null, string? Path = null, string? TensorName = null, ulong Seed = 0, string? HeldOutPath = null,
    SynthSaeBenchConfig? SynthSaeBench = null)
{
    /// <summary>Kind of the built-in synthetic benchmark (SPEC 3).</summary>
    public const string SyntheticKind = "synthetic";

    /// <summary>Kind of the SynthSAEBench generator.</summary>
    public const string SynthSaeBenchKind = "synthsaebench";

    /// <summary>Kind of an array file.</summary>
    public const string FileKind = "file";

    /// <summary>The built-in synthetic benchmark.</summary>
    public static DataSpecification ForSynthetic(SyntheticDataConfig config) => new(SyntheticKind, config);

    /// <summary>SynthSAEBench with <paramref name="config"/> (e.g. <see cref="SynthSaeBenchConfig.Scaled"/>).</summary>
    public static DataSpecification ForSynthSaeBench(SynthSaeBenchConfig config) => new(SynthSaeBenchKind, SynthSaeBench: config);

    /// <summary>Whether the vectors are generated (an endless stream with known true features, evaluated on fresh samples) rather than read from a file.</summary>
    [JsonIgnore]
    public bool IsGenerated => Kind is SyntheticKind or SynthSaeBenchKind;

    /// <summary>The SynthSAEBench settings this specification uses (the 16k preset when none is recorded).</summary>
    [JsonIgnore]
    public SynthSaeBenchConfig SynthSaeBenchOrDefault => SynthSaeBench ?? SynthSaeBenchConfig.Standard16k;

    /// <summary>Width d of the generated vectors, or null for a file (read its header).</summary>
    [JsonIgnore]
    public int? GeneratedDimension => Kind switch
    {
        SyntheticKind => (Synthetic ?? new SyntheticDataConfig()).InputDim,
        SynthSaeBenchKind => SynthSaeBenchOrDefault.InputDim,
        _ => null,
    };

    /// <summary>Throws <see cref="ArgumentException"/> on an incomplete specification.</summary>
    public void Validate()
    {
        switch (Kind)
        {
            case SyntheticKind:
                (Synthetic ?? new SyntheticDataConfig()).Validate();
                break;
            case SynthSaeBenchKind:
                SynthSaeBenchOrDefault.Validate();
                break;
            case FileKind:
                if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("A file data source needs a path.");
                if (Directory.Exists(Path)) throw new FileNotFoundException($"Data file {Path} is a folder; give the .npy or .safetensors file in it.", Path);
                if (!File.Exists(Path)) throw new FileNotFoundException($"Data file not found: {Path}", Path);
                // An .npy holds one array: the tensor name would be ignored, so it was likely meant for another file.
                if (TensorName is not null && System.IO.Path.GetExtension(Path).Equals(".npy", StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException($"--tensor {TensorName} names a tensor of a .safetensors file, but the data file {Path} is an .npy (one array); leave --tensor out.");
                break;
            default:
                throw new ArgumentException($"Unknown data kind '{Kind}'; expected 'synthetic', 'synthsaebench' or a file path.");
        }
    }
}

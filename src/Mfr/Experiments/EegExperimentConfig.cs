using Mfr.Eeg;

namespace Mfr.Experiments;

/// <summary>
/// The paper's EEG experiment (SPEC 5): a folder of EDF/BDF recordings prepared once into a cache
/// (band-pass 0.5-45 Hz zero phase, resampling, 1-s segments, per-channel z-scores, split by recording),
/// then the k sweep with the paper's configuration (h 4096, k 12-60, batch 1024, lr 1e-3) on a sample
/// budget the user sets.
/// </summary>
public sealed record EegExperimentConfig
{
    /// <summary>TUH's common rate, to which recordings are resampled by default (eegmat is 500 Hz).</summary>
    public const int DefaultTargetSamplingRateHz = 250;

    /// <summary>Folder of EDF/BDF recordings, searched recursively (required; <c>--folder</c>).</summary>
    public string? Folder { get; init; }

    /// <summary>
    /// Preprocessing and split (default: <see cref="EegPreprocessingConfig"/>'s, resampled to
    /// <see cref="DefaultTargetSamplingRateHz"/>; <c>targetSamplingRateHz: null</c> keeps the files' rate).
    /// </summary>
    public EegPreprocessingConfig Preprocessing { get; init; } = new() { TargetSamplingRateHz = DefaultTargetSamplingRateHz };

    /// <summary>Where the prepared arrays go; null: OUT/data.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>
    /// The sweep: h 4096, k 12 24 36 48 60, batch 1,024, assignment every 25 steps; 100,000 samples per SAE
    /// by default, sized for about 15 minutes on 2 cores (SPEC 5's paper run is 3.5 M samples).
    /// </summary>
    public KSweepSettings Sweep { get; init; } = KSweepSettings.RealData(4096, [12, 24, 36, 48, 60], 1024, 100_000, 25);

    /// <summary>`mfr eeg`'s defaults (the folder still to be named).</summary>
    public static EegExperimentConfig Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> (or <see cref="DirectoryNotFoundException"/>) with a one-line reason.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Folder)) throw new ArgumentException("The EEG experiment needs a folder of EDF/BDF recordings: --folder DIR (folder in a config file).");
        if (!Directory.Exists(Folder)) throw new DirectoryNotFoundException($"EEG folder not found: {Folder}");
        if (Preprocessing is null || Sweep is null) throw new ArgumentException("An EEG config's 'preprocessing' and 'sweep' may not be null.");
        Preprocessing.Validate();
        Sweep.Validate();
    }
}

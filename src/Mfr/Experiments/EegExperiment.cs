using Mfr.Data;
using Mfr.Eeg;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// Runs an <see cref="EegExperimentConfig"/>: prepares (or reuses) the cache of the recordings
/// (<see cref="EegDatasetCache"/>), then the k sweep on it (<see cref="KSweep"/>, resumable run folders
/// OUT/baseline and OUT/mfr), and writes results.json.
/// </summary>
public static class EegExperiment
{
    /// <summary>Runs or resumes the experiment in <paramref name="outputDirectory"/>; null when interrupted during training.</summary>
    public static EegExperimentResult? Run(EegExperimentConfig config, string outputDirectory, ExperimentProgress? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        // Recordings and their split are checked from the headers before the experiment's folder is made (README:
        // checked before it is made), and a cache path that is a file.
        EegDatasetCache.CheckSplit(config.Folder!, config.Preprocessing);
        if (config.CacheFolder is string cacheFolder && File.Exists(cacheFolder))
            throw new ArgumentException($"--cache {cacheFolder} is a file; it names the folder the prepared arrays go to.");
        // One experiment writer per folder (issue 13), held from before the data are prepared; each run also locks
        // its own folder. Cleaning removes what a killed extraction or write left behind (gigabytes of activations).
        using var folderLock = ExperimentFolder.Lock(outputDirectory);
        RunFolder.RemoveTemporaryFiles(outputDirectory);
        string cache = config.CacheFolder ?? Path.Combine(outputDirectory, ExperimentFolder.DataFolder);
        var prepared = EegDatasetCache.Prepare(config.Folder!, config.Preprocessing, cache, progress?.EegPreparation, cancellation);
        progress?.Notes?.Report($"{(prepared.Reused ? "reused" : "prepared")} {prepared.TrainPath} and {prepared.HeldOutPath}");
        foreach (var skipped in prepared.Manifest.SkippedFiles) progress?.Notes?.Report($"skipped {skipped.Name}: {skipped.Reason}");
        var data = new DataSpecification("file", Path: prepared.TrainPath, Seed: config.Sweep.Training.Seed, HeldOutPath: prepared.HeldOutPath);
        var sweep = KSweep.Execute(config.Sweep.For(data), outputDirectory, progress?.Runs, cancellation);
        if (sweep is null) return null;
        var manifest = prepared.Manifest;
        var result = new EegExperimentResult(config,
            new EegPreparation(prepared.TrainPath, prepared.HeldOutPath, prepared.Reused, manifest.TrainSegmentCount, manifest.HeldOutSegmentCount, manifest.SkippedFiles),
            sweep);
        ExperimentFolder.WriteResults(outputDirectory, result);
        return result;
    }
}

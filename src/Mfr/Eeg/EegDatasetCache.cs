using System.Security.Cryptography;
using System.Text.Json;
using Mfr.IO;
using Mfr.Numerics;

namespace Mfr.Eeg;

/// <summary>
/// Prepares a folder of EDF/BDF recordings once into <c>train.npy</c> and <c>heldout.npy</c> (float32
/// <c>[segments, channels x fs]</c>, split by recording with <see cref="EegSplit"/>) plus
/// <c>manifest.json</c>, and reuses them while the input files (by SHA-256) and the settings are unchanged.
/// Files are processed on <see cref="Parallelism.MaxThreads"/> threads and streamed to the .npy writers in
/// recording order, so memory stays bounded by a few recordings. A split that holds out no recording (fraction 0,
/// or fewer than two usable recordings) is refused before any recording is filtered. Writes are atomic: the manifest is removed
/// first and written last, so an interrupted run never leaves a manifest that describes other files.
/// </summary>
public static class EegDatasetCache
{
    /// <summary>File name of the training segments.</summary>
    public const string TrainFileName = "train.npy";

    /// <summary>File name of the held-out segments.</summary>
    public const string HeldOutFileName = "heldout.npy";

    /// <summary>File name of the manifest.</summary>
    public const string ManifestFileName = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Prepares (or reuses) the cache of <paramref name="folder"/> in <paramref name="cacheDirectory"/>.</summary>
    /// <param name="folder">Folder searched recursively for .edf/.bdf files.</param>
    /// <param name="config">Preprocessing and split settings (validated).</param>
    /// <param name="cacheDirectory">Output folder; created when missing.</param>
    /// <param name="progress">Receives a report after each recording (not called when the cache is reused).</param>
    /// <param name="cancellationToken">Stops between recordings; the previous cache files stay intact.</param>
    /// <exception cref="InvalidDataException">No file in the folder is usable.</exception>
    public static EegDatasetCacheResult Prepare(string folder, EegPreprocessingConfig config, string cacheDirectory,
        IProgress<EegPreparationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(cacheDirectory);
        var preprocessor = new EegPreprocessor(config);
        var files = EegPreprocessor.RequireRecordingFiles(folder);

        var sources = HashSources(folder, files);
        var settings = EegCacheSettings.From(config);
        string trainPath = Path.Combine(cacheDirectory, TrainFileName);
        string heldOutPath = Path.Combine(cacheDirectory, HeldOutFileName);
        string manifestPath = Path.Combine(cacheDirectory, ManifestFileName);

        if (TryReuse(manifestPath, trainPath, heldOutPath, sources, settings) is { } existing)
            return new EegDatasetCacheResult(trainPath, heldOutPath, manifestPath, existing, Reused: true);

        var (plan, split) = PlanAndSplit(preprocessor, folder, files, settings);

        Directory.CreateDirectory(cacheDirectory);
        if (File.Exists(manifestPath)) File.Delete(manifestPath);
        var manifest = Build(preprocessor, plan, split, folder, sources, settings, trainPath, heldOutPath, progress, cancellationToken);
        if (manifest.HeldOutSegmentCount == 0)
            throw new InvalidDataException($"{folder}: none of the held-out recordings ({string.Join(", ", split.HeldOut)}) gave a usable segment, so there is no held-out data; " +
                "add recordings or change the split (--seed, --held-out-fraction).");
        AtomicFile.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, JsonOptions));
        return new EegDatasetCacheResult(trainPath, heldOutPath, manifestPath, manifest, Reused: false);
    }

    /// <summary>
    /// The headers' verdict on <paramref name="folder"/> without reading a sample or writing anything: the usable recordings
    /// and a split that leaves recordings on both sides. An experiment calls it before it makes its folder.
    /// </summary>
    /// <exception cref="InvalidDataException">No usable recording, or a split without held-out or training recordings.</exception>
    public static void CheckSplit(string folder, EegPreprocessingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        PlanAndSplit(new EegPreprocessor(config), folder, EegPreprocessor.RequireRecordingFiles(folder), EegCacheSettings.From(config));
    }

    // The split is decided from the headers, before minutes of filtering: a held-out set without recordings
    // would otherwise surface only after both ensembles of the sweep trained (issue 13, class 5).
    private static (EegPreparationPlan Plan, EegSplitResult Split) PlanAndSplit(EegPreprocessor preprocessor, string folder, IReadOnlyList<string> files, EegCacheSettings settings)
    {
        var plan = preprocessor.Plan(files, folder);
        var split = EegSplit.ByRecording(plan.Recordings.Select(r => r.Name).ToArray(), settings.HeldOutFraction, settings.SplitSeed);
        RequireHeldOutRecordings(folder, plan.Recordings.Count, settings.HeldOutFraction, split);
        return (plan, split);
    }

    /// <summary>Reads the manifest of a prepared cache.</summary>
    /// <exception cref="FileNotFoundException">The cache has no manifest.json.</exception>
    /// <exception cref="InvalidDataException">The manifest is not valid JSON of the expected shape.</exception>
    public static EegCacheManifest ReadManifest(string cacheDirectory)
    {
        string path = Path.Combine(cacheDirectory, ManifestFileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"EEG cache manifest not found: {path}", path);
        return JsonFile.Read<EegCacheManifest>(path, JsonOptions);
    }

    /// <summary>
    /// Refuses a split that holds out no recording: the cache's held-out file is what the EEG sweep reports its loss
    /// on, and an empty one fails only after training.
    /// </summary>
    /// <exception cref="ArgumentException">The held-out fraction is 0.</exception>
    /// <exception cref="InvalidDataException">Fewer than two usable recordings.</exception>
    public static void RequireHeldOutRecordings(string folder, int usableRecordings, double heldOutFraction, EegSplitResult split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.HeldOut.Count > 0) return;
        if (heldOutFraction <= 0)
            throw new ArgumentException($"--held-out-fraction is {heldOutFraction.ToString(System.Globalization.CultureInfo.InvariantCulture)}: no recording would be held out, and the sweep reports its loss on held-out recordings; use a fraction above 0 (default 0.2).");
        throw new InvalidDataException($"{folder}: {usableRecordings} usable recording(s); a held-out set split by recording needs at least two (one held out, the rest trained on).");
    }

    private static EegCacheManifest Build(EegPreprocessor preprocessor, EegPreparationPlan plan, EegSplitResult split, string folder,
        IReadOnlyList<EegCacheSource> sources, EegCacheSettings settings, string trainPath, string heldOutPath,
        IProgress<EegPreparationProgress>? progress, CancellationToken cancellationToken)
    {
        var heldOutNames = split.HeldOut.ToHashSet(StringComparer.Ordinal);
        int vectorLength = plan.ChannelLabels.Count * plan.SamplingRateHz;
        var recordings = new List<EegCacheRecording>();
        var skipped = new List<EegSkippedFile>(plan.SkippedFiles);
        long segments = 0;

        using var train = new NpyStreamWriter(trainPath, vectorLength);
        using var heldOut = new NpyStreamWriter(heldOutPath, vectorLength);
        int threads = Parallelism.MaxThreads;
        OrderedParallelPipeline.Run(plan.Recordings.Count, threads, 2 * threads,
            index => preprocessor.TryProcess(plan.Recordings[index], plan.SamplingRateHz),
            (index, outcome) =>
            {
                var planned = plan.Recordings[index];
                if (outcome.Segments is { } data)
                {
                    bool isHeldOut = heldOutNames.Contains(planned.Name);
                    var writer = isHeldOut ? heldOut : train;
                    recordings.Add(new EegCacheRecording(planned.Name, isHeldOut ? "heldout" : "train", planned.SourceSamplingRateHz, writer.RowCount, planned.SegmentCount));
                    writer.Append(data);
                    segments += planned.SegmentCount;
                }
                else
                {
                    skipped.Add(new EegSkippedFile(planned.Name, outcome.Error!));
                }
                progress?.Report(new EegPreparationProgress(index + 1, plan.Recordings.Count, planned.Name, segments));
            },
            cancellationToken);
        train.Complete();
        heldOut.Complete();

        return new EegCacheManifest(Path.GetFullPath(folder), sources, settings, plan.ChannelLabels, plan.SamplingRateHz, vectorLength,
            train.RowCount, heldOut.RowCount, recordings, skipped.OrderBy(file => file.Name, StringComparer.Ordinal).ToArray());
    }

    /// <summary>The existing manifest when it was built from the same files and settings and both .npy files still match it.</summary>
    private static EegCacheManifest? TryReuse(string manifestPath, string trainPath, string heldOutPath, IReadOnlyList<EegCacheSource> sources, EegCacheSettings settings)
    {
        if (!File.Exists(manifestPath) || !File.Exists(trainPath) || !File.Exists(heldOutPath)) return null;
        EegCacheManifest manifest;
        try
        {
            manifest = ReadManifest(Path.GetDirectoryName(manifestPath)!);
        }
        catch (InvalidDataException)
        {
            return null;
        }
        if (Identity(manifest.Sources, manifest.Settings) != Identity(sources, settings)) return null;
        return HasShape(trainPath, manifest.TrainSegmentCount, manifest.VectorLength)
            && HasShape(heldOutPath, manifest.HeldOutSegmentCount, manifest.VectorLength) ? manifest : null;
    }

    private static string Identity(IReadOnlyList<EegCacheSource> sources, EegCacheSettings settings) =>
        JsonSerializer.Serialize(new { sources, settings }, JsonOptions);

    private static bool HasShape(string path, long rows, int rowLength)
    {
        try
        {
            using var npy = NpyFile.Open(path);
            return npy.RowCount == rows && npy.RowLength == rowLength && npy.Shape.Count == 2;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            return false;
        }
    }

    private static EegCacheSource[] HashSources(string folder, IReadOnlyList<string> files)
    {
        var sources = new EegCacheSource[files.Count];
        Parallel.For(0, files.Count, Parallelism.Options, i =>
        {
            using var stream = new FileStream(files[i], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            string hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            sources[i] = new EegCacheSource(EegPreprocessor.RecordingName(folder, files[i]), stream.Length, hash);
        });
        return sources;
    }
}

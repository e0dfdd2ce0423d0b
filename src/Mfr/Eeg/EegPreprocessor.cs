using System.Collections.Concurrent;
using System.Globalization;
using Mfr.Numerics;

namespace Mfr.Eeg;

/// <summary>
/// The EEG preprocessing of SPEC section 5, per recording: select channels by normalised label, keep those
/// at the recording's most common sampling rate, optionally resample (scipy resample_poly), band-pass with a
/// zero-phase Butterworth (scipy sosfiltfilt), cut 1-second segments, z-score each channel of each segment
/// and flatten channel-major. Across files the channel set and the output rate must match the first usable
/// file's; files that do not are reported in <see cref="EegPreprocessingResult.SkippedFiles"/> with the
/// reason, never mixed in. Files are processed on <see cref="Parallelism.MaxThreads"/> threads; results are
/// in recording-name order whatever the thread count.
/// </summary>
public sealed class EegPreprocessor
{
    private static readonly HashSet<string> Standard1020Set = new(EegChannelLabels.Standard1020, StringComparer.Ordinal);

    private readonly ConcurrentDictionary<int, SosFilter> filters = new();
    private readonly ConcurrentDictionary<(int Source, int Target), PolyphaseResampler> resamplers = new();

    /// <summary>Creates a preprocessor; validates <paramref name="config"/>.</summary>
    public EegPreprocessor(EegPreprocessingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
    }

    /// <summary>The settings.</summary>
    public EegPreprocessingConfig Config { get; }

    /// <summary>All <c>.edf</c> and <c>.bdf</c> files under <paramref name="folder"/> (recursively, any letter case), sorted by relative path.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<string> FindRecordingFiles(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"EEG folder not found: {folder}");
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetExtension(path).ToLowerInvariant() is ".edf" or ".bdf")
            .OrderBy(path => RecordingName(folder, path), StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>As <see cref="FindRecordingFiles"/>, and refuses a folder without any (checked before an experiment makes its folder).</summary>
    /// <exception cref="InvalidDataException">No .edf or .bdf file under the folder.</exception>
    public static IReadOnlyList<string> RequireRecordingFiles(string folder)
    {
        var files = FindRecordingFiles(folder);
        if (files.Count == 0) throw new InvalidDataException($"{folder}: no .edf or .bdf files found.");
        return files;
    }

    /// <summary>A recording's name: its path relative to <paramref name="folder"/>, with '/' separators.</summary>
    public static string RecordingName(string folder, string path) => Path.GetRelativePath(folder, path).Replace('\\', '/');

    /// <summary>Prepares every EDF/BDF file under <paramref name="folder"/> (see <see cref="FindRecordingFiles"/>).</summary>
    /// <exception cref="InvalidDataException">No file is usable (the message lists the first reasons).</exception>
    public EegPreprocessingResult PrepareFolder(string folder, IProgress<EegPreparationProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Prepare(FindRecordingFiles(folder), folder, progress, cancellationToken);

    /// <summary>Prepares <paramref name="files"/>, naming recordings by their path relative to <paramref name="rootFolder"/>.</summary>
    /// <exception cref="InvalidDataException">No file is usable (the message lists the first reasons).</exception>
    public EegPreprocessingResult Prepare(IReadOnlyList<string> files, string rootFolder, IProgress<EegPreparationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(files, rootFolder);
        var recordings = new List<EegRecording>(plan.Recordings.Count);
        var skipped = new List<EegSkippedFile>(plan.SkippedFiles);
        long segments = 0;
        int threads = Parallelism.MaxThreads;
        OrderedParallelPipeline.Run(plan.Recordings.Count, threads, 2 * threads,
            index => TryProcess(plan.Recordings[index], plan.SamplingRateHz),
            (index, outcome) =>
            {
                var planned = plan.Recordings[index];
                if (outcome.Segments is { } data)
                {
                    recordings.Add(new EegRecording(planned.Name, planned.SourcePath, planned.SourceSamplingRateHz, planned.SegmentCount, data));
                    segments += planned.SegmentCount;
                }
                else
                {
                    skipped.Add(new EegSkippedFile(planned.Name, outcome.Error!));
                }
                progress?.Report(new EegPreparationProgress(index + 1, plan.Recordings.Count, planned.Name, segments));
            },
            cancellationToken);
        return new EegPreprocessingResult(plan.ChannelLabels, plan.SamplingRateHz, recordings,
            skipped.OrderBy(file => file.Name, StringComparer.Ordinal).ToArray());
    }

    /// <summary>The header pass: decides for every file whether and how it is used, before any sample is read.</summary>
    internal EegPreparationPlan Plan(IReadOnlyList<string> files, string rootFolder)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0) throw new InvalidDataException($"{rootFolder}: no .edf or .bdf files found.");
        var reference = new Reference(Config.ChannelLabels?.Select(EegChannelLabels.Normalize).ToArray(), Config.TargetSamplingRateHz, null);
        var planned = new List<EegPlannedRecording>();
        var skipped = new List<EegSkippedFile>();
        foreach (string path in files.OrderBy(path => RecordingName(rootFolder, path), StringComparer.Ordinal))
        {
            string name = RecordingName(rootFolder, path);
            try
            {
                using var edf = EdfFile.Open(path);
                var (recording, updated) = PlanFile(edf, name, reference);
                planned.Add(recording);
                reference = updated;
            }
            catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                skipped.Add(new EegSkippedFile(name, exception.Message));
            }
        }
        if (planned.Count == 0)
        {
            string reasons = string.Join(" | ", skipped.Take(5).Select(file => $"{file.Name}: {file.Reason}"));
            throw new InvalidDataException($"{rootFolder}: none of the {files.Count} EEG files is usable. {reasons}");
        }
        return new EegPreparationPlan(reference.Labels!, reference.RateHz!.Value, planned, skipped);
    }

    /// <summary>The channel set and output rate every file must match; set by the first usable file where not configured.</summary>
    private sealed record Reference(string[]? Labels, int? RateHz, string? FirstFile);

    private (EegPlannedRecording Recording, Reference Reference) PlanFile(EdfFile edf, string name, Reference reference)
    {
        var header = edf.Header;
        var explicitLabels = Config.ChannelLabels is null ? null : reference.Labels;
        var wanted = explicitLabels is null ? Standard1020Set : new HashSet<string>(explicitLabels, StringComparer.Ordinal);
        var candidates = header.DataSignalIndices
            .Select(index => (Index: index, Label: EegChannelLabels.Normalize(header.Signals[index].Label), Rate: header.Signals[index].SamplingRateHz))
            .Where(candidate => wanted.Contains(candidate.Label))
            .ToArray();
        if (candidates.Length == 0)
        {
            string what = explicitLabels is null ? "10-20 EEG channels" : "requested channels";
            throw new InvalidDataException($"no {what} among its signals ({string.Join(", ", header.Signals.Select(s => s.Label))}).");
        }
        var duplicate = candidates.GroupBy(candidate => candidate.Label).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"channel {duplicate.Key} appears more than once ({string.Join(", ", duplicate.Select(c => $"\"{header.Signals[c.Index].Label}\""))}).");

        // Keep the channels at the most common rate (ties: the higher rate).
        double sourceRate = candidates.GroupBy(candidate => candidate.Rate)
            .OrderByDescending(group => group.Count()).ThenByDescending(group => group.Key).First().Key;
        var kept = candidates.Where(candidate => candidate.Rate == sourceRate).ToArray();
        string droppedNote = candidates.Length == kept.Length ? "" : " (" + string.Join(", ", candidates.Where(c => c.Rate != sourceRate)
            .Select(c => $"{c.Label} is at {Format(c.Rate)} Hz")) + $", not the most common {Format(sourceRate)} Hz)";

        string[] labels = reference.Labels ?? kept.Select(candidate => candidate.Label).ToArray();
        var keptLabels = kept.Select(candidate => candidate.Label).ToHashSet(StringComparer.Ordinal);
        var missing = labels.Where(label => !keptLabels.Contains(label)).ToArray();
        var extra = kept.Select(candidate => candidate.Label).Where(label => !labels.Contains(label)).ToArray();
        if (missing.Length > 0 || extra.Length > 0)
        {
            string against = explicitLabels is null ? $"the first file ({reference.FirstFile})" : "the configured ChannelLabels";
            string problem = string.Join("; ", new[] { missing.Length > 0 ? "missing " + string.Join(", ", missing) : null, extra.Length > 0 ? "extra " + string.Join(", ", extra) : null }.OfType<string>());
            throw new InvalidDataException($"its channel set differs from {against}: {problem}{droppedNote}.");
        }

        int sourceRateHz = (int)Math.Round(sourceRate);
        if (Math.Abs(sourceRate - sourceRateHz) > 1e-9 * sourceRate || sourceRateHz < 1)
            throw new InvalidDataException($"its sampling rate {Format(sourceRate)} Hz is not a whole number of samples per second (1-s segments need one).");
        int outputRate = reference.RateHz ?? sourceRateHz;
        if (Config.TargetSamplingRateHz is null && sourceRateHz != outputRate)
            throw new InvalidDataException($"it is sampled at {sourceRateHz} Hz but the first file ({reference.FirstFile}) at {outputRate} Hz; set a target sampling rate to resample.");
        if (!(Config.BandPassHighHz < outputRate / 2.0))
            throw new InvalidDataException($"the band-pass upper edge {Format(Config.BandPassHighHz)} Hz is not below the Nyquist frequency of {outputRate} Hz.");

        long sourceSamples = header.SampleCount(kept[0].Index);
        if (sourceSamples > Array.MaxLength) throw new InvalidDataException($"{sourceSamples} samples per channel is more than supported.");
        int samples = sourceRateHz == outputRate ? (int)sourceSamples : Resampler(sourceRateHz, outputRate).OutputLength((int)sourceSamples);
        int padLength = Filter(outputRate).PadLength;
        if (samples <= padLength)
            throw new InvalidDataException($"it is too short: {samples} samples at {outputRate} Hz; zero-phase filtering needs more than {padLength}.");

        foreach (var candidate in kept) edf.EnsureReadable(candidate.Index);
        var byLabel = kept.ToDictionary(candidate => candidate.Label, candidate => candidate.Index, StringComparer.Ordinal);
        var recording = new EegPlannedRecording(name, edf.Path, labels.Select(label => byLabel[label]).ToArray(), sourceRateHz, samples,
            EegSegmenter.SegmentCount(samples, outputRate));
        return (recording, new Reference(labels, outputRate, reference.FirstFile ?? name));
    }

    /// <summary>
    /// <see cref="Process"/>, turning a file that fails while its samples are read into a skip reason.
    /// </summary>
    internal (float[]? Segments, string? Error) TryProcess(EegPlannedRecording recording, int outputRate)
    {
        try
        {
            return (Process(recording, outputRate), null);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return (null, exception.Message);
        }
    }

    /// <summary>Reads, resamples, filters and segments one planned recording: <c>[SegmentCount, channels x outputRate]</c>.</summary>
    internal float[] Process(EegPlannedRecording recording, int outputRate)
    {
        double[][] channels;
        using (var edf = EdfFile.Open(recording.SourcePath))
        {
            channels = edf.ReadPhysical(recording.SignalIndices);
        }
        var resampler = recording.SourceSamplingRateHz == outputRate ? null : Resampler(recording.SourceSamplingRateHz, outputRate);
        var filter = Filter(outputRate);
        for (int c = 0; c < channels.Length; c++)
        {
            double[] signal = resampler?.Resample(channels[c]) ?? channels[c];
            filter.FilterZeroPhase(signal, signal);
            channels[c] = signal;
        }
        long length = (long)recording.SegmentCount * channels.Length * outputRate;
        if (length > Array.MaxLength) throw new InvalidDataException($"{recording.Name}: {length} segment values are more than one array holds.");
        var segments = new float[length];
        EegSegmenter.Segment(channels, outputRate, Config.StdFloor, segments);
        return segments;
    }

    private SosFilter Filter(int samplingRateHz) => filters.GetOrAdd(samplingRateHz,
        rate => ButterworthFilter.BandPass(Config.FilterOrder, Config.BandPassLowHz, Config.BandPassHighHz, rate));

    private PolyphaseResampler Resampler(int sourceHz, int targetHz) => resamplers.GetOrAdd((sourceHz, targetHz),
        key => PolyphaseResampler.FromRates(key.Source, key.Target));

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using System.Globalization;
using Mfr.Numerics;

namespace Mfr.Eeg;

/// <summary>
/// Stopwatch harness for the EEG preparation (the speed target: all 48 eegmat files read, resampled to
/// 250 Hz, filtered, segmented and z-scored in under 30 s on 2 cores). Prints a single-threaded stage
/// breakdown, then the wall time of <see cref="EegPreprocessor.PrepareFolder"/> per repeat and the median.
/// </summary>
public static class EegTimings
{
    /// <summary>Times the preparation of <paramref name="folder"/> and writes the report to <paramref name="output"/>.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="folder">Folder of EDF files (e.g. shared/data/eeg/eegmat).</param>
    /// <param name="config">Settings; default: the pipeline defaults with a 250 Hz target rate.</param>
    /// <param name="repeats">Timed full runs (the median is reported).</param>
    public static void Run(TextWriter output, string folder, EegPreprocessingConfig? config = null, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        config ??= new EegPreprocessingConfig { TargetSamplingRateHz = 250 };
        var preprocessor = new EegPreprocessor(config);
        var files = EegPreprocessor.FindRecordingFiles(folder);
        output.WriteLine(Invariant($"EEG preparation timings: {files.Count} files in {folder}, target {config.TargetSamplingRateHz?.ToString(CultureInfo.InvariantCulture) ?? "native"} Hz, {Parallelism.MaxThreads} threads, {Environment.ProcessorCount} cores"));

        var clock = Stopwatch.StartNew();
        var plan = preprocessor.Plan(files, folder);
        double planSeconds = clock.Elapsed.TotalSeconds;
        StageBreakdown(output, preprocessor, plan, planSeconds);

        var times = new List<double>();
        EegPreprocessingResult? result = null;
        for (int r = 0; r < repeats; r++)
        {
            clock.Restart();
            result = preprocessor.PrepareFolder(folder);
            times.Add(clock.Elapsed.TotalSeconds);
            output.WriteLine(Invariant($"  run {r + 1}: {times[^1]:F2} s"));
        }
        times.Sort();
        output.WriteLine(Invariant($"PrepareFolder: median {times[times.Count / 2]:F2} s over {repeats} runs; {result!.Recordings.Count} recordings, {result.SkippedFiles.Count} skipped, {result.SegmentCount} segments of {result.VectorLength} ({result.ChannelLabels.Count} channels x {result.SamplingRateHz} Hz)"));
    }

    /// <summary>One single-threaded pass, timing read, resample, filter and segment separately.</summary>
    private static void StageBreakdown(TextWriter output, EegPreprocessor preprocessor, EegPreparationPlan plan, double planSeconds)
    {
        var config = preprocessor.Config;
        var filter = ButterworthFilter.BandPass(config.FilterOrder, config.BandPassLowHz, config.BandPassHighHz, plan.SamplingRateHz);
        double read = 0, resample = 0, filtering = 0, segment = 0;
        var clock = new Stopwatch();
        foreach (var recording in plan.Recordings)
        {
            clock.Restart();
            double[][] channels;
            using (var edf = EdfFile.Open(recording.SourcePath)) channels = edf.ReadPhysical(recording.SignalIndices);
            read += clock.Elapsed.TotalSeconds;

            clock.Restart();
            if (recording.SourceSamplingRateHz != plan.SamplingRateHz)
            {
                var resampler = PolyphaseResampler.FromRates(recording.SourceSamplingRateHz, plan.SamplingRateHz);
                for (int c = 0; c < channels.Length; c++) channels[c] = resampler.Resample(channels[c]);
            }
            resample += clock.Elapsed.TotalSeconds;

            clock.Restart();
            foreach (double[] channel in channels) filter.FilterZeroPhase(channel, channel);
            filtering += clock.Elapsed.TotalSeconds;

            clock.Restart();
            var segments = new float[(long)recording.SegmentCount * channels.Length * plan.SamplingRateHz];
            EegSegmenter.Segment(channels, plan.SamplingRateHz, config.StdFloor, segments);
            segment += clock.Elapsed.TotalSeconds;
        }
        output.WriteLine(Invariant($"single-threaded stages: plan (headers) {planSeconds:F3} s, read {read:F3} s, resample {resample:F3} s, filter {filtering:F3} s, segment+z-score {segment:F3} s, total {planSeconds + read + resample + filtering + segment:F3} s"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Mfr.Eeg;
using Mfr.Numerics;

namespace Mfr.Bench.Eeg;

/// <summary>
/// The EEG preparation speed target: all 48 eegmat files (97.5 min of 19-channel 500 Hz EEG) read,
/// resampled to 250 Hz, band-passed (zero phase), segmented and z-scored in under 30 s on 2 cores; plus
/// the per-channel stages on one 182-s channel. The data folder is shared/data/eeg/eegmat found above the
/// repository root, or the MFR_EEG_FOLDER environment variable. Each full run takes seconds, so few
/// iterations are measured (Monitoring strategy: no pilot, no overhead estimation).
/// Run: <c>dotnet run -c Release --project bench/Mfr.Bench -- --filter '*EegPrepare*'</c>
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class EegPrepareBenchmarks
{
    private string folder = "";
    private double[] channel500 = [];
    private double[] channel250 = [];
    private readonly PolyphaseResampler halving = PolyphaseResampler.FromRates(500, 250);
    private readonly SosFilter filter250 = ButterworthFilter.BandPass(5, 0.5, 45, 250);

    /// <summary>Worker threads for the whole-folder runs.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        folder = Environment.GetEnvironmentVariable("MFR_EEG_FOLDER") ?? FindEegmat()
            ?? throw new InvalidOperationException("eegmat not found: set MFR_EEG_FOLDER to shared/data/eeg/eegmat.");
        Parallelism.MaxThreads = Threads;
        using var edf = EdfFile.Open(Path.Combine(folder, "Subject00_1.edf"));
        channel500 = edf.ReadPhysical(0);
        channel250 = halving.Resample(channel500);
    }

    /// <summary>The target: whole folder, resampled to 250 Hz (SPEC 5 pipeline).</summary>
    [Benchmark]
    public long PrepareFolderAt250Hz() => new EegPreprocessor(new EegPreprocessingConfig { TargetSamplingRateHz = 250 }).PrepareFolder(folder).SegmentCount;

    /// <summary>Whole folder at the native 500 Hz (no resampling, twice the samples to filter).</summary>
    [Benchmark]
    public long PrepareFolderAtNative500Hz() => new EegPreprocessor(new EegPreprocessingConfig()).PrepareFolder(folder).SegmentCount;

    /// <summary>Reading all 21 data signals of one 182-s file (header, I/O, int16 decode and scaling).</summary>
    [Benchmark]
    public int ReadOneFile()
    {
        using var edf = EdfFile.Open(Path.Combine(folder, "Subject00_1.edf"));
        return edf.ReadPhysical(edf.Header.DataSignalIndices).Length;
    }

    /// <summary>resample_poly 500 -> 250 Hz of one 182-s channel (91,000 samples).</summary>
    [Benchmark]
    public double ResampleOneChannel() => halving.Resample(channel500)[0];

    /// <summary>sosfiltfilt of one 182-s channel at 250 Hz (45,500 samples, 5 sections).</summary>
    [Benchmark]
    public double FilterOneChannel()
    {
        var output = new double[channel250.Length];
        filter250.FilterZeroPhase(channel250, output);
        return output[0];
    }

    private static string? FindEegmat()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        for (; directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "data", "eeg", "eegmat");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}

using System.Text.Json.Serialization;
using Mfr.Data;
using Mfr.Numerics;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Synthetic.SynthSaeBench;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>`mfr bench`: training steps timed at one shape on generated data (default: the paper's synthetic shape, one SAE; or a SynthSAEBench preset).</summary>
public sealed record BenchConfig
{
    /// <summary>B (default: <see cref="TrainingConfig"/>'s batch).</summary>
    public int BatchSize { get; init; } = new TrainingConfig().BatchSize;

    /// <summary>
    /// Where batches come from: "synthetic" (the built-in generator at <see cref="InputDim"/>), or a SynthSAEBench preset
    /// ("synthsaebench-scaled", "synthsaebench-16k"), whose d the SAEs then take, so the data phase shows what the benchmark's
    /// generator costs against a step (issue 14: at most 25%).
    /// </summary>
    public string Data { get; init; } = DataSpecification.SyntheticKind;

    /// <summary>d (default: the synthetic benchmark's; a SynthSAEBench preset sets its own).</summary>
    public int InputDim { get; init; } = new SyntheticDataConfig().InputDim;

    /// <summary>The SynthSAEBench settings <see cref="Data"/> names, or null for the built-in generator.</summary>
    [JsonIgnore]
    public SynthSaeBenchConfig? SynthSaeBench => SynthSaeBenchConfig.IsPresetName(Data) ? SynthSaeBenchConfig.Preset(Data) : null;

    /// <summary>The built-in generator's settings when <see cref="Data"/> is synthetic: <see cref="InputDim"/> wide, twice as many features (at least 24), seed 1.</summary>
    [JsonIgnore]
    public SyntheticDataConfig SyntheticData => new(InputDim: InputDim, FeatureCount: Math.Max(2 * InputDim, 24), Seed: 1);

    /// <summary>h.</summary>
    public int LatentCount { get; init; } = TrainExperimentConfig.DefaultLatentCount;

    /// <summary>k per SAE, one SAE per value.</summary>
    public int[] Ks { get; init; } = [TrainExperimentConfig.DefaultK];

    /// <summary>Baseline, or an MFR mode (the penalty on, assignment every <see cref="RefreshSteps"/> steps).</summary>
    public MfrMode Mode { get; init; } = MfrMode.Baseline;

    /// <summary>MFR assignment refresh interval (default: <see cref="MfrConfig"/>'s).</summary>
    public int RefreshSteps { get; init; } = new MfrConfig().AssignmentRefreshSteps;

    /// <summary>Timed steps (after <see cref="BenchExperiment.WarmupSteps"/> untimed ones).</summary>
    public int Steps { get; init; } = 20;

    /// <summary>Kernel threads; null: all cores (<see cref="Parallelism.MaxThreads"/>).</summary>
    public int? Threads { get; init; }

    /// <summary>The encoder path timed: fp32 (default) or the opt-in int8-select (README "An int8 encoder"); its phase time then is the whole int8 path.</summary>
    public EncoderPrecision Encoder { get; init; } = EncoderPrecision.Fp32;

    /// <summary>
    /// 0 (default): time the steps once. N &gt; 0: time them in N rounds at 1, 2, 4, ... threads up to <see cref="Threads"/>
    /// (default all cores), each round alternating the counts, and read each count's speed-up over 1 thread against the
    /// machine's own FMA speed-up in the same round (<see cref="ThreadScalingResult"/>, issue 16 item 7).
    /// </summary>
    public int ScalingRounds { get; init; }

    /// <summary>`mfr bench`'s defaults.</summary>
    public static BenchConfig Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason naming the flag or config key.</summary>
    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"--steps (steps) must be at least 1, got {Steps}.");
        if (BatchSize < 1) throw new ArgumentException($"--batch-size (batchSize) must be at least 1, got {BatchSize}.");
        if (Threads is < 1) throw new ArgumentException($"--threads (threads) must be at least 1, got {Threads}.");
        if (ScalingRounds < 0) throw new ArgumentException($"--scaling-rounds (scalingRounds) must be at least 0, got {ScalingRounds}.");
        if (ScalingRounds > 0 && (Threads ?? Parallelism.MaxThreads) < 2)
            throw new ArgumentException($"--scaling-rounds compares thread counts, but only 1 thread is available ({(Threads is null ? "this machine has 1 core" : "--threads 1")}).");
        if (Ks is null || Ks.Length == 0) throw new ArgumentException("--k (ks) needs at least one value.");
        if (Data != DataSpecification.SyntheticKind && !SynthSaeBenchConfig.IsPresetName(Data ?? ""))
            throw new ArgumentException($"--data (data) must be synthetic, {SynthSaeBenchConfig.ScaledName} or {SynthSaeBenchConfig.Standard16kName}, got '{Data}'.");
        if (SynthSaeBench is { } benchmark && InputDim != benchmark.InputDim)
            throw new ArgumentException($"--input-dim {InputDim} disagrees with --data {Data}, whose vectors have d = {benchmark.InputDim}; leave --input-dim out.");
        if (SynthSaeBench is null && SyntheticData is { } synthetic && synthetic.ActiveFeatures > synthetic.SmallestGroupSize)
        {
            int smallest = (synthetic.ActiveFeatures * synthetic.GroupCount + 1) / 2;
            throw new ArgumentException($"--input-dim {InputDim} is too small for the synthetic data: its {synthetic.FeatureCount} features in {synthetic.GroupCount} groups " +
                $"leave {synthetic.SmallestGroupSize} per group, fewer than the {synthetic.ActiveFeatures} active in each sample; use --input-dim {smallest} or more.");
        }
        if (Mode != MfrMode.Baseline && Ks.Length < 2 && Mode != MfrMode.Reinit) throw new ArgumentException($"--mode {System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(Mode.ToString())} couples SAEs: give at least two --k values.");
        foreach (int k in Ks) new SaeConfig(InputDim, LatentCount, k).Validate();
    }
}

/// <summary>What `mfr bench` measured.</summary>
/// <param name="Config">Settings.</param>
/// <param name="Steps">Step times, split by phase, and the encoder's rate.</param>
/// <param name="Peak">This machine's measured FMA peak, the ceiling the encoder's rate is read against.</param>
/// <param name="Data">The data source's description.</param>
/// <param name="MeanMaxOverlap">SynthSAEBench only: mean max overlap rho_mm of its feature directions (the paper's superposition measure), else null.</param>
public sealed record BenchResult(BenchConfig Config, StepBenchmarkResult Steps, FmaPeakResult Peak, string Data = "", double? MeanMaxOverlap = null)
{
    /// <summary>Share of a step's mean time spent producing its batch (the data phase), in [0, 1].</summary>
    public double DataShare => Steps.MeanStepMilliseconds > 0 ? Steps.PhaseMillisecondsPerStep.GetValueOrDefault(StepTimer.Phase.Data) / Steps.MeanStepMilliseconds : 0;
}

/// <summary>Runs a <see cref="BenchConfig"/>.</summary>
public static class BenchExperiment
{
    /// <summary>Untimed steps before the timed ones.</summary>
    public const int WarmupSteps = 3;

    /// <summary>Times the steps of <paramref name="config"/>; sets <see cref="Parallelism.MaxThreads"/> when it names a thread count.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> was cancelled (between steps).</exception>
    public static BenchResult Run(BenchConfig config, CancellationToken cancellation = default)
    {
        config.Validate();
        if (config.Threads is int threads) Parallelism.MaxThreads = threads;
        var (saes, mfr, data) = Setup(config);
        Preflight(config, saes, mfr, data);
        // The generator the steps read (SynthSAEBench worlds are shared between opens): its description and directions.
        using var source = DataSources.OpenGroundTruth(data)!;
        var peak = FmaPeak.Measure(Parallelism.MaxThreads);
        // Under mpirun the ranks share the ensemble (issue 17), each generating the same batches from this specification.
        var result = StepBenchmark.Run(saes, data, config.BatchSize, mfr, WarmupSteps, config.Steps, config.Encoder, cancellation);
        double? overlap = config.SynthSaeBench is null ? null : FeatureDirections.MeanMaxOverlap(source.TrueFeatures, source.FeatureCount, source.Dimension);
        return new BenchResult(config, result, peak, source.Description, overlap);
    }

    /// <summary>
    /// Times the steps of <paramref name="config"/> in <see cref="BenchConfig.ScalingRounds"/> rounds at 1, 2, 4, ... threads
    /// up to <see cref="BenchConfig.Threads"/> (default all cores), each count's FMA rate probed right after each of its
    /// steps (median; the peak measured before the steps when no probe ran whole).
    /// Each count trains afresh from the same seed, so every round times the same steps. Leaves
    /// <see cref="Parallelism.MaxThreads"/> at the largest count.
    /// </summary>
    /// <param name="config">Settings; <see cref="BenchConfig.ScalingRounds"/> at least 1.</param>
    /// <param name="progress">Told after each count of each round: (round, threads, median step ms).</param>
    /// <param name="cancellation">Stops the rounds between steps (Ctrl+C, SIGTERM).</param>
    public static ThreadScalingResult RunThreadScaling(BenchConfig config, Action<int, int, double>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        if (config.ScalingRounds < 1) throw new ArgumentException($"--scaling-rounds (scalingRounds) must be at least 1 for a thread-scaling run, got {config.ScalingRounds}.");
        int most = config.Threads ?? Parallelism.MaxThreads;
        var counts = new List<int>();
        for (int threads = 1; threads < most; threads *= 2) counts.Add(threads);
        counts.Add(most);
        var (saes, mfr, data) = Setup(config);
        Preflight(config, saes, mfr, data);
        var rounds = new List<IReadOnlyList<ThreadScalingPoint>>();
        for (int round = 0; round < config.ScalingRounds; round++)
        {
            var points = new List<ThreadScalingPoint>();
            foreach (int threads in counts)
            {
                Parallelism.MaxThreads = threads;
                var peak = FmaPeak.Measure(threads, seconds: 0.25);
                var steps = StepBenchmark.Run(saes, data, config.BatchSize, mfr, WarmupSteps, config.Steps, config.Encoder, cancellation);
                // The rate probed right after each step tracks contention that comes and goes while the steps run; the
                // measurement before them stands in only when no probe ran whole.
                double fma = double.IsNaN(steps.ProbedFmaGflopsMedian) ? peak.GflopsPerSecond : steps.ProbedFmaGflopsMedian;
                points.Add(new ThreadScalingPoint(threads, steps.MedianStepMilliseconds, steps.MeanStepMilliseconds, fma, steps.PhaseMillisecondsPerStep));
                progress?.Invoke(round + 1, threads, steps.MedianStepMilliseconds);
            }
            rounds.Add(points);
        }
        return new ThreadScalingResult(counts, rounds);
    }

    /// <summary>
    /// The checks of a training run (settings, memory included) before the generator allocates its true features: a shape
    /// too large for this machine is the estimate's usage error, not an out-of-memory failure partway through.
    /// </summary>
    private static void Preflight(BenchConfig config, SaeConfig[] saes, MfrConfig? mfr, DataSpecification data) =>
        RunPreflight.Check(new RunSpecification(data, saes,
            new TrainingConfig(SampleCount: (long)config.BatchSize * (WarmupSteps + config.Steps), BatchSize: config.BatchSize, CheckpointEverySteps: 0, EncoderPrecision: config.Encoder), mfr));

    private static (SaeConfig[] Saes, MfrConfig? Mfr, DataSpecification Data) Setup(BenchConfig config)
    {
        int d = config.InputDim;
        var saes = config.Ks.Select(k => new SaeConfig(d, config.LatentCount, k)).ToArray();
        // Re-initialisation is checked on the first (untimed warm-up) step only: the timed steps measure the
        // penalty and the per-step score, not re-draws. At small B k / h a longer window re-draws every step
        // (README, "Re-initialisation on real data"), which times orthogonal initialisations instead of MFR.
        var mfr = config.Mode == MfrMode.Baseline ? null : new MfrConfig(config.Mode, AssignmentRefreshSteps: config.RefreshSteps, Reinitialization: new ReinitializationConfig(WindowSteps: 1));
        var data = config.SynthSaeBench is { } benchmark
            ? DataSpecification.ForSynthSaeBench(benchmark)
            : DataSpecification.ForSynthetic(config.SyntheticData);
        return (saes, mfr, data);
    }
}

using System.Diagnostics;
using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;

namespace Mfr.Training;

/// <summary>Timing of training steps at one shape: median step time and where it goes.</summary>
/// <param name="Steps">Measured steps (after warm-up).</param>
/// <param name="MedianStepMilliseconds">Median wall time of one step.</param>
/// <param name="MeanStepMilliseconds">Mean wall time of one step: with an assignment refresh every N steps the refresh steps are rare and long, so the mean is what a run costs per step.</param>
/// <param name="PhaseMillisecondsPerStep">Mean milliseconds per step in each phase.</param>
/// <param name="EncoderGflops">Achieved GFLOP/s of the encoder products (2 B d h per SAE) over the mean step's encoder time.</param>
/// <param name="Threads">Threads the kernels used.</param>
/// <param name="PeakWorkingSetHalfwayBytes">Peak resident memory of the process after warm-up and the first half of the timed steps.</param>
/// <param name="PeakWorkingSetEndBytes">Peak resident memory after all of them: equal to the halfway figure when memory does not grow with the samples trained.</param>
public sealed record StepBenchmarkResult(int Steps, double MedianStepMilliseconds, double MeanStepMilliseconds, IReadOnlyDictionary<StepTimer.Phase, double> PhaseMillisecondsPerStep, double EncoderGflops, int Threads,
    long PeakWorkingSetHalfwayBytes, long PeakWorkingSetEndBytes)
{
    /// <summary>
    /// GFLOP/s of the encoder products over the median step's encoder time. On a shared or throttled machine a few slow
    /// steps pull the mean down; the median is the statistic the step time is reported with, so both are shown.
    /// </summary>
    public double EncoderGflopsMedian { get; init; }

    /// <summary>
    /// Median over the timed steps of the step's encoder rate over the FMA rate probed right after it
    /// (<see cref="Numerics.FmaPeak.Probe"/>, outside the step's time): the encoder's share of what the machine gave at
    /// that moment, which a host's load moves much less than a rate read against the best rate of a separate measurement.
    /// NaN when no probe ran on all threads at once.
    /// </summary>
    public double EncoderShareOfAdjacentFmaRate { get; init; }

    /// <summary>
    /// Median over the timed steps of the FMA rate probed right after each (GFLOP/s, <see cref="Numerics.FmaPeak.Probe"/>):
    /// what the machine gave while the steps ran, which a separate measurement before them can miss on a shared host.
    /// NaN when no probe ran on all threads at once.
    /// </summary>
    public double ProbedFmaGflopsMedian { get; init; } = double.NaN;

    /// <summary>The MFR penalty's assignment refreshes during the timed steps, or null without the penalty.</summary>
    public AssignmentRefreshFigures? Refreshes { get; init; }

    /// <summary>Processes that trained the ensemble (1, or the MPI job's ranks; the figures above are rank 0's).</summary>
    public int Ranks { get; init; } = 1;

    /// <summary>Payload bytes rank 0 sent and received in collectives per timed step (0 in one process).</summary>
    public double CommunicatedBytesPerStep { get; init; }

    /// <summary>Milliseconds per timed step rank 0 spent in collectives, waiting for the slowest rank included (0 in one process).</summary>
    public double CollectiveMillisecondsPerStep { get; init; }
}

/// <summary>
/// The MFR penalty's assignment refreshes during timed steps (issue 16 item 3: a refresh should cost at most 1.3x its
/// cosine products at the machine's FMA peak).
/// </summary>
/// <param name="Count">Refreshes in the timed steps.</param>
/// <param name="MeanMilliseconds">Mean wall time of one (every pair).</param>
/// <param name="MeanProductMilliseconds">Of which the cosine products.</param>
/// <param name="MeanSolverMilliseconds">Of which the exact assignments.</param>
/// <param name="ProductGflopPerRefresh">The products' GFLOP per refresh (2 h_a h_b d per pair).</param>
public sealed record AssignmentRefreshFigures(int Count, double MeanMilliseconds, double MeanProductMilliseconds, double MeanSolverMilliseconds, double ProductGflopPerRefresh)
{
    /// <summary>Milliseconds the products would take at <paramref name="peakGflopsPerSecond"/>.</summary>
    public double ProductMillisecondsAtPeak(double peakGflopsPerSecond) => ProductGflopPerRefresh / peakGflopsPerSecond * 1000;

    /// <summary>A refresh's mean time over its products' time at <paramref name="peakGflopsPerSecond"/>.</summary>
    public double OverProductsAtPeak(double peakGflopsPerSecond) => MeanMilliseconds / ProductMillisecondsAtPeak(peakGflopsPerSecond);

    /// <summary>
    /// Each timed refresh's time over its products' time at the FMA rate probed right after its step (NaN where the probe
    /// was invalid), in step order. On a shared host the peak benchmark reads one moment's rate, which may be far from
    /// the refresh's; as for the encoder's share, the probe next to it reads the rate the refresh could have had.
    /// </summary>
    public IReadOnlyList<double> OverProductsAtProbedRates { get; init; } = [];

    /// <summary>The median of <see cref="OverProductsAtProbedRates"/> that are valid; NaN when none is.</summary>
    public double MedianOverProductsAtProbedRate => StepBenchmark.MedianOfValid([.. OverProductsAtProbedRates]);
}

/// <summary>Measures full training steps (data, forward, backward, regulariser, AdamW) of an ensemble.</summary>
public static class StepBenchmark
{
    /// <summary>Runs <paramref name="warmupSteps"/> untimed then <paramref name="steps"/> timed steps (peak memory read before the second half and at the end).</summary>
    public static StepBenchmarkResult Run(IReadOnlyList<SaeConfig> saes, IVectorSource source, int batchSize, MfrConfig? mfr, int warmupSteps, int steps) =>
        Run(saes, source, null, batchSize, mfr, warmupSteps, steps);

    /// <summary>
    /// As <see cref="Run(IReadOnlyList{SaeConfig}, IVectorSource, int, MfrConfig?, int, int)"/> on the source <paramref name="data"/>
    /// names; under <c>mpirun</c> the ranks train the ensemble together (issue 17), each opening that source itself, and the
    /// result adds the bytes rank 0 moved per step. In one process the cancellation token (Ctrl+C, SIGTERM) is checked
    /// before every step; under mpirun the ranks run to the end together.
    /// </summary>
    public static StepBenchmarkResult Run(IReadOnlyList<SaeConfig> saes, DataSpecification data, int batchSize, MfrConfig? mfr, int warmupSteps, int steps,
        EncoderPrecision encoder = EncoderPrecision.Fp32, CancellationToken cancellation = default)
    {
        using var source = DataSources.Open(data);
        return Run(saes, source, data, batchSize, mfr, warmupSteps, steps, encoder, cancellation);
    }

    private static StepBenchmarkResult Run(IReadOnlyList<SaeConfig> saes, IVectorSource source, DataSpecification? data, int batchSize, MfrConfig? mfr, int warmupSteps, int steps,
        EncoderPrecision encoder = EncoderPrecision.Fp32, CancellationToken cancellation = default)
    {
        if (steps < 1) throw new ArgumentException($"Timed steps must be at least 1, got {steps}.");
        if (warmupSteps < 0) throw new ArgumentException($"Warm-up steps must be at least 0, got {warmupSteps}.");
        var config = new TrainingConfig(SampleCount: (long)batchSize * (warmupSteps + steps), BatchSize: batchSize, CheckpointEverySteps: 0, EncoderPrecision: encoder);
        config.Validate();
        TrainingMemory.Require(TrainingMemory.EstimateTrainerBytes(batchSize, saes, source.Dimension, mfr, encoder: encoder), TrainingMemory.AvailableBytes,
            TrainingMemory.DescribeShape(batchSize, saes, source.Dimension));
        var distribution = data is null ? null : Distributed.DistributedWorker.BeginTraining(new RunSpecification(data, [.. saes], config, mfr));
        var penalty = MfrRegularizers.CreatePenalty(mfr, saes);
        using var trainer = new Trainer(config, saes, source, penalty, mfr is { UsesReinitialization: true } ? mfr.ReinitializationSettings : null, distribution);
        distribution?.ShareState(trainer);
        // A rank that stopped alone would leave the others waiting in a collective, so only one process stops early.
        void StopIfCancelled()
        {
            if (distribution is null) cancellation.ThrowIfCancellationRequested();
        }
        for (int i = 0; i < warmupSteps; i++)
        {
            StopIfCancelled();
            trainer.TrainStep();
        }
        var refreshesBefore = (penalty as MmcsPenalty)?.RefreshTotals;
        trainer.Timer.Reset();
        long bytesBefore = distribution?.BytesCommunicated ?? 0;
        double collectiveBefore = distribution?.CollectiveSeconds ?? 0;
        var times = new double[steps];
        var encoderTimes = new double[steps];
        var adjacentShares = new double[steps];
        var probes = new double[steps];
        var refreshRatios = new List<double>();
        var mmcs = penalty as MmcsPenalty;
        double encoderFlops = saes.Sum(s => 2.0 * batchSize * s.InputDim * s.LatentCount);
        long peakHalfway = 0;
        for (int i = 0; i < steps; i++)
        {
            StopIfCancelled();
            if (i == steps / 2) peakHalfway = PeakWorkingSet();
            double encoderBefore = trainer.Timer.Seconds(StepTimer.Phase.Encoder);
            var refreshBefore = mmcs?.RefreshTotals;
            long start = Stopwatch.GetTimestamp();
            trainer.TrainStep();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            encoderTimes[i] = trainer.Timer.Seconds(StepTimer.Phase.Encoder) - encoderBefore;
            double probeGflops = Numerics.FmaPeak.Probe(Numerics.Parallelism.MaxThreads);
            probes[i] = probeGflops;
            adjacentShares[i] = encoderTimes[i] > 0 ? encoderFlops / encoderTimes[i] / 1e9 / probeGflops : 0;
            if (mmcs is not null && mmcs.RefreshTotals.Since(refreshBefore!.Value) is { Count: > 0 } refresh)
                refreshRatios.Add(refresh.TotalSeconds / (refresh.ProductFlops / (probeGflops * 1e9)));
        }
        long peakEnd = PeakWorkingSet();
        var refreshes = mmcs?.RefreshTotals.Since(refreshesBefore!.Value);
        double bytesPerStep = ((distribution?.BytesCommunicated ?? 0) - bytesBefore) / (double)steps;
        double collectiveMilliseconds = ((distribution?.CollectiveSeconds ?? 0) - collectiveBefore) * 1000 / steps;
        Distributed.DistributedWorker.EndTraining(distribution);
        Array.Sort(times);
        Array.Sort(encoderTimes);
        var phases = Enum.GetValues<StepTimer.Phase>().ToDictionary(phase => phase, phase => trainer.Timer.Seconds(phase) * 1000 / steps);
        double encoderSeconds = trainer.Timer.Seconds(StepTimer.Phase.Encoder) / steps;
        return new StepBenchmarkResult(steps, times[steps / 2], times.Average(), phases, encoderSeconds > 0 ? encoderFlops / encoderSeconds / 1e9 : 0, Numerics.Parallelism.MaxThreads, peakHalfway, peakEnd)
        {
            EncoderGflopsMedian = encoderTimes[steps / 2] > 0 ? encoderFlops / encoderTimes[steps / 2] / 1e9 : 0,
            EncoderShareOfAdjacentFmaRate = MedianOfValid(adjacentShares),
            ProbedFmaGflopsMedian = MedianOfValid(probes),
            Refreshes = refreshes is { } r ? PerRefresh(r) with { OverProductsAtProbedRates = refreshRatios } : null,
            Ranks = distribution?.Communicator.Size ?? 1,
            CommunicatedBytesPerStep = bytesPerStep,
            CollectiveMillisecondsPerStep = collectiveMilliseconds,
        };
    }

    /// <summary>
    /// The median of the values that are not NaN (a probe whose threads did not start together), which sort first;
    /// NaN when none is valid. Sorts <paramref name="values"/>.
    /// </summary>
    internal static double MedianOfValid(double[] values)
    {
        Array.Sort(values);
        int invalid = values.Count(double.IsNaN);
        return invalid == values.Length ? double.NaN : values[invalid + (values.Length - invalid) / 2];
    }

    /// <summary>Each refresh's mean times and product GFLOP over <paramref name="totals"/> (zeros without a refresh).</summary>
    private static AssignmentRefreshFigures PerRefresh(RefreshTotals totals)
    {
        double Mean(double sum) => totals.Count > 0 ? sum / totals.Count : 0;
        return new AssignmentRefreshFigures(totals.Count, Mean(totals.TotalSeconds * 1000), Mean(totals.ProductSeconds * 1000),
            Mean(totals.SolverSeconds * 1000), Mean(totals.ProductFlops / 1e9));
    }

    /// <summary>The process's peak resident set so far (VmHWM on Linux).</summary>
    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}

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
/// <param name="EncoderGflops">Achieved GFLOP/s of the encoder products (2 B d h per SAE).</param>
/// <param name="Threads">Threads the kernels used.</param>
/// <param name="PeakWorkingSetHalfwayBytes">Peak resident memory of the process after warm-up and the first half of the timed steps.</param>
/// <param name="PeakWorkingSetEndBytes">Peak resident memory after all of them: equal to the halfway figure when memory does not grow with the samples trained.</param>
public sealed record StepBenchmarkResult(int Steps, double MedianStepMilliseconds, double MeanStepMilliseconds, IReadOnlyDictionary<StepTimer.Phase, double> PhaseMillisecondsPerStep, double EncoderGflops, int Threads,
    long PeakWorkingSetHalfwayBytes, long PeakWorkingSetEndBytes);

/// <summary>Measures full training steps (data, forward, backward, regulariser, AdamW) of an ensemble.</summary>
public static class StepBenchmark
{
    /// <summary>Runs <paramref name="warmupSteps"/> untimed then <paramref name="steps"/> timed steps (peak memory read before the second half and at the end).</summary>
    public static StepBenchmarkResult Run(IReadOnlyList<SaeConfig> saes, IVectorSource source, int batchSize, MfrConfig? mfr, int warmupSteps, int steps)
    {
        if (steps < 1) throw new ArgumentException($"Timed steps must be at least 1, got {steps}.");
        if (warmupSteps < 0) throw new ArgumentException($"Warm-up steps must be at least 0, got {warmupSteps}.");
        var config = new TrainingConfig(SampleCount: (long)batchSize * (warmupSteps + steps), BatchSize: batchSize, CheckpointEverySteps: 0);
        config.Validate();
        TrainingMemory.Require(TrainingMemory.EstimateTrainerBytes(batchSize, saes, source.Dimension, mfr), TrainingMemory.AvailableBytes,
            TrainingMemory.DescribeShape(batchSize, saes, source.Dimension));
        using var trainer = new Trainer(config, saes, source, MfrRegularizers.CreatePenalty(mfr, saes), mfr is { UsesReinitialization: true } ? mfr.ReinitializationSettings : null);
        for (int i = 0; i < warmupSteps; i++) trainer.TrainStep();
        trainer.Timer.Reset();
        var times = new double[steps];
        long peakHalfway = 0;
        for (int i = 0; i < steps; i++)
        {
            if (i == steps / 2) peakHalfway = PeakWorkingSet();
            long start = Stopwatch.GetTimestamp();
            trainer.TrainStep();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        long peakEnd = PeakWorkingSet();
        Array.Sort(times);
        var phases = Enum.GetValues<StepTimer.Phase>().ToDictionary(phase => phase, phase => trainer.Timer.Seconds(phase) * 1000 / steps);
        double encoderFlops = saes.Sum(s => 2.0 * batchSize * s.InputDim * s.LatentCount);
        double encoderSeconds = trainer.Timer.Seconds(StepTimer.Phase.Encoder) / steps;
        return new StepBenchmarkResult(steps, times[steps / 2], times.Average(), phases, encoderSeconds > 0 ? encoderFlops / encoderSeconds / 1e9 : 0, Numerics.Parallelism.MaxThreads, peakHalfway, peakEnd);
    }

    /// <summary>The process's peak resident set so far (VmHWM on Linux).</summary>
    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}

using System.CommandLine;
using System.Globalization;
using Mfr.Cli.Rendering;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Cli.Commands;

/// <summary>`mfr bench`: times training steps at a given shape and shows where the time goes.</summary>
internal static class BenchCommand
{
    public static Command Create(CommandContext context)
    {
        var batchSize = new Option<int>("--batch-size") { Description = "B.", DefaultValueFactory = _ => 10_000 };
        var inputDim = new Option<int>("--input-dim") { Description = "d.", DefaultValueFactory = _ => 256 };
        var latents = new Option<int>("--latents") { Description = "h.", DefaultValueFactory = _ => 512 };
        var k = new Option<int[]>("--k") { Description = "k per SAE (one SAE per value).", DefaultValueFactory = _ => [32], AllowMultipleArgumentsPerToken = true };
        var mode = new Option<string>("--mode") { Description = "baseline or mfr (penalty on, assignment every --refresh steps).", DefaultValueFactory = _ => "baseline" };
        var refresh = new Option<int>("--refresh") { Description = "MFR assignment refresh interval.", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 20 };
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores)." };
        var command = new Command("bench", "Time training steps (median, split by phase, encoder GFLOP/s). Default: the paper's synthetic shape, one SAE.");
        foreach (var option in new Option[] { batchSize, inputDim, latents, k, mode, refresh, steps, threads }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            int stepCount = parse.GetValue(steps);
            if (stepCount < 1) throw new ArgumentException($"--steps must be at least 1, got {stepCount}.");
            if (parse.GetValue(threads) is int count) Numerics.Parallelism.MaxThreads = count;
            int d = parse.GetValue(inputDim), h = parse.GetValue(latents), b = parse.GetValue(batchSize);
            var saes = parse.GetValue(k)!.Select(kk => new SaeConfig(d, h, kk)).ToArray();
            var mfrMode = TrainOptions.ParseMode(parse.GetValue(mode)!);
            // Re-initialisation is checked on the first (untimed warm-up) step only: the timed steps measure the
            // penalty and the per-step score, not re-draws. At small B k / h a longer window re-draws every step
            // (README, "Re-initialisation on real data"), which times orthogonal initialisations instead of MFR.
            var mfr = mfrMode == MfrMode.Baseline ? null : new MfrConfig(mfrMode, AssignmentRefreshSteps: parse.GetValue(refresh), Reinitialization: new ReinitializationConfig(WindowSteps: 1));
            using var source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: d, FeatureCount: Math.Max(2 * d, 24), Seed: 1));
            context.Error.WriteLine($"mfr bench: {saes.Length} SAE(s), B={b} d={d} h={h} k={string.Join(",", saes.Select(s => s.K))}, mode {mfrMode}, {Numerics.Parallelism.MaxThreads} thread(s)...");
            // The ceiling the encoder's rate is read against: the same figure means 90% of peak on one CPU and 40% on another.
            var peak = Numerics.FmaPeak.Measure(Numerics.Parallelism.MaxThreads);
            var result = StepBenchmark.Run(saes, source, b, mfr, warmupSteps: 3, steps: stepCount);
            var table = new TextTable("phase", "ms/step");
            foreach (var (phase, milliseconds) in result.PhaseMillisecondsPerStep) table.AddRow(phase.ToString(), milliseconds.ToString("F2", CultureInfo.InvariantCulture));
            foreach (string line in Numerics.KernelRegistry.Describe()) context.Output.WriteLine(line);
            context.Output.WriteLine($"median step: {result.MedianStepMilliseconds:F2} ms, mean {result.MeanStepMilliseconds:F2} ms, over {result.Steps} steps ({result.Threads} threads)");
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"encoder product: {result.EncoderGflops:F0} GFLOP/s, {100 * result.EncoderGflops / peak.GflopsPerSecond:F0}% of this machine's FMA peak ({peak.GflopsPerSecond:F0} GFLOP/s measured, {peak.Threads} thread(s), {peak.VectorBits}-bit vectors)"));
            int half = result.Steps / 2;
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"peak working set: {result.PeakWorkingSetHalfwayBytes / 1048576.0:F1} MB after {3 + half} steps, {result.PeakWorkingSetEndBytes / 1048576.0:F1} MB after {3 + result.Steps} ({(long)b * (3 + result.Steps):N0} samples)"));
            context.Output.Write(table.ToString());
            return 0;
        });
        return command;
    }
}

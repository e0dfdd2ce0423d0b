using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Data;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Reports;
using Mfr.Training;

namespace Mfr.Cli.Commands;

/// <summary>`mfr sweep` (and the shared machinery of `mfr eeg`): baseline vs MFR SAEs for a list of k on one data source.</summary>
internal static class SweepCommand
{
    /// <summary>
    /// Re-initialisation window of the real-data sweeps: the initial draw only. Measured on the EEG shape
    /// (h 4096, batch 1024, lr 1e-3, baseline SAEs): every k from 12 to 60 starts below theta = 2.5 and
    /// crosses it within 25 steps of ordinary training (k = 12 at step 2), so a longer window re-draws
    /// healthy SAEs over and over (README, "Re-initialisation on real data").
    /// </summary>
    internal const long RealDataReinitWindow = 1;

    internal sealed class SweepOptions(int latents, int[] ks, int batchSize, float lr, long samples, int refresh)
    {
        public Option<int> Latents { get; } = new("--latents") { Description = "Latents h.", DefaultValueFactory = _ => latents };
        public Option<int[]> K { get; } = new("--k") { Description = "k values (one baseline SAE each; all in one MFR ensemble).", DefaultValueFactory = _ => ks, AllowMultipleArgumentsPerToken = true };
        public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => batchSize };
        public Option<float> LearningRate { get; } = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => lr };
        public Option<long> Samples { get; } = new("--samples") { Description = "Training samples per SAE (epochs over the data as needed).", DefaultValueFactory = _ => samples };
        public Option<string> Beta { get; } = new("--beta") { Description = "'auto' or a number.", DefaultValueFactory = _ => "auto" };
        public Option<int> Refresh { get; } = new("--refresh") { Description = "Solve the MFR assignments every N steps.", DefaultValueFactory = _ => refresh };
        public Option<int> Warmup { get; } = new("--warmup") { Description = "Warm-up steps T_w.", DefaultValueFactory = _ => 100 };
        public Option<string> Mode { get; } = new("--mode") { Description = "What the coupled ensemble uses: mfr (penalty + re-initialisation), penalty, or reinit.", DefaultValueFactory = _ => "mfr" };
        public Option<double> ReinitThreshold { get; } = new("--reinit-threshold") { Description = "Re-initialisation threshold theta.", DefaultValueFactory = _ => 2.5 };
        public Option<long> ReinitWindow { get; } = new("--reinit-window") { Description = "Check re-initialisation during the first N steps (0: whole run; 1: the initial draw only, see README).", DefaultValueFactory = _ => RealDataReinitWindow };
        public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed (initialisations and shuffling).", DefaultValueFactory = _ => 0UL };
        public Option<DirectoryInfo?> Output { get; } = new("--out") { Description = "Output folder (an existing one is resumed)." };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { Latents, K, BatchSize, LearningRate, Samples, Beta, Refresh, Warmup, Mode, ReinitThreshold, ReinitWindow, Seed, Output }) command.Options.Add(option);
        }

        public KSweepConfig ToConfig(ParseResult parse, DataSpecification data)
        {
            var mode = TrainOptions.ParseMode(parse.GetValue(Mode)!);
            if (mode == MfrMode.Baseline) throw new ArgumentException("--mode of the coupled ensemble must be mfr, penalty or reinit (the baselines always run).");
            return new(
                data with { Seed = parse.GetValue(Seed) },
                parse.GetValue(Latents),
                parse.GetValue(K)!,
                new TrainingConfig(parse.GetValue(Samples), parse.GetValue(BatchSize), parse.GetValue(LearningRate), Seed: parse.GetValue(Seed), CheckpointEverySteps: 50),
                new MfrConfig(mode, TrainOptions.ParseBeta(parse.GetValue(Beta)!), parse.GetValue(Warmup),
                    new ReinitializationConfig(parse.GetValue(ReinitThreshold), parse.GetValue(ReinitWindow)), parse.GetValue(Refresh)));
        }
    }

    public static Command Create(CommandContext context)
    {
        var data = new Option<FileInfo>("--data") { Description = "Training vectors (.npy or .safetensors, [n, d]).", Required = true };
        var heldOut = new Option<FileInfo?>("--held-out") { Description = "Held-out vectors for the reported loss." };
        var tensor = new Option<string?>("--tensor") { Description = "Tensor to read from a .safetensors file holding several." };
        var options = new SweepOptions(latents: 512, ks: [8, 16, 32], batchSize: 1024, lr: 1e-3f, samples: 1_000_000, refresh: 10);
        var command = new Command("sweep", "Train baseline and MFR SAEs for a list of k and compare held-out loss per k (the shape of the paper's tables 1-3).");
        command.Options.Add(data);
        command.Options.Add(heldOut);
        command.Options.Add(tensor);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var specification = new DataSpecification("file", Path: parse.GetValue(data)!.FullName, TensorName: parse.GetValue(tensor), HeldOutPath: parse.GetValue(heldOut)?.FullName);
            return Execute(context, options.ToConfig(parse, specification), parse.GetValue(options.Output), "sweep");
        });
        return command;
    }

    internal static int Execute(CommandContext context, KSweepConfig config, DirectoryInfo? output, string name)
    {
        config.Validate();
        string folder = output?.FullName ?? Path.GetFullPath(Path.Combine("runs", $"{name}-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)));
        context.Error.WriteLine($"mfr {name}: k {string.Join(" ", config.Ks)}, h {config.LatentCount}, {config.Training.StepCount} steps of {config.Training.BatchSize}, folder {folder}");
        FindingLines.Write(context.Error, KSweepFindings.BeforeTraining(config));
        var result = ExperimentRunner.Run(context, name, folder, progress => KSweep.Run(config, folder, progress, context.Cancellation));
        if (result is null) return ExperimentRunner.InterruptedExitCode;
        context.Output.Write(KSweepResultTables.Text(result));
        context.Output.WriteLine($"Results: {Path.Combine(folder, "results.json")} ({result.WallSeconds:F0} s)");
        return 0;
    }
}

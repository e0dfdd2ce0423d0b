using System.CommandLine;
using System.Globalization;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Reports;
using Mfr.Synthetic;

namespace Mfr.Cli.Commands;

/// <summary>`mfr synthetic`: the paper's synthetic experiment (SPEC 3): baseline vs MFR SAEs against known features.</summary>
internal static class SyntheticCommand
{
    public static Command Create(CommandContext context)
    {
        var paper = new Option<bool>("--paper") { Description = "The paper's full configuration: 50 M samples, batch 10,000, lr 0.01, d 256, n 512, h 512, k 32, M 2." };
        var samples = new Option<long?>("--samples") { Description = "Training samples per SAE (default 5,000,000; --paper: 50,000,000)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => 10_000 };
        var latents = new Option<int>("--latents") { Description = "Latents h.", DefaultValueFactory = _ => 512 };
        var k = new Option<int>("--k") { Description = "Active latents k.", DefaultValueFactory = _ => 32 };
        var lr = new Option<float>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 0.01f };
        var optimizer = new Option<string>("--optimizer") { Description = "adamw or adam.", DefaultValueFactory = _ => "adamw" };
        var betas = new Option<string[]>("--beta") { Description = "One MFR configuration per value: 'auto' and/or numbers (e.g. --beta auto 0.1 1).", DefaultValueFactory = _ => ["auto"], AllowMultipleArgumentsPerToken = true };
        var mode = new Option<string>("--mode") { Description = "What the MFR runs use: mfr (both), penalty, reinit.", DefaultValueFactory = _ => "mfr" };
        var warmup = new Option<int>("--warmup") { Description = "Cosine warm-up steps T_w.", DefaultValueFactory = _ => 100 };
        var reinitThreshold = new Option<double>("--reinit-threshold") { Description = "Re-initialisation threshold theta.", DefaultValueFactory = _ => 2.5 };
        var reinitWindow = new Option<long>("--reinit-window") { Description = "Re-initialisation checked during the first N steps (0: whole run).", DefaultValueFactory = _ => 100 };
        var refresh = new Option<int>("--refresh") { Description = "Solve the assignment every N steps (1: exact every step).", DefaultValueFactory = _ => 1 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Log each SAE's ground-truth MMCS and recovery every N steps, plus step 0 and the last (paper figure 8; 0: off).", DefaultValueFactory = _ => Mfr.Training.TrainingConfig.DefaultEvaluationEverySteps };
        var seeds = new Option<int>("--seeds") { Description = "Repeat over this many seeds and report mean and spread.", DefaultValueFactory = _ => 1 };
        var seed = new Option<ulong>("--seed") { Description = "First seed.", DefaultValueFactory = _ => 0UL };
        var noReplicate = new Option<bool>("--no-replicate") { Description = "Skip the independent replicate runs (cross-run consistency)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Experiment folder (default: runs/synthetic-<time>); an existing one is resumed." };
        var command = new Command("synthetic", "Train baseline and MFR SAEs on synthetic data with known features and print the results table.");
        foreach (var option in new Option[] { paper, samples, batchSize, latents, k, lr, optimizer, betas, mode, warmup, reinitThreshold, reinitWindow, refresh, evalEvery, seeds, seed, noReplicate, output })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            var mfrMode = TrainOptions.ParseMode(parse.GetValue(mode)!);
            if (mfrMode == MfrMode.Baseline) throw new ArgumentException("--mode for the MFR runs must be mfr, penalty or reinit (the baseline always runs).");
            long sampleCount = parse.GetValue(samples) ?? (parse.GetValue(paper) ? 50_000_000 : 5_000_000);
            var config = new SyntheticExperimentConfig(
                new SyntheticDataConfig(Seed: parse.GetValue(seed)),
                LatentCount: parse.GetValue(latents), K: parse.GetValue(k), SampleCount: sampleCount, BatchSize: parse.GetValue(batchSize),
                LearningRate: parse.GetValue(lr), Optimizer: TrainOptions.ParseOptimizer(parse.GetValue(optimizer)!),
                Betas: parse.GetValue(betas)!.Select(TrainOptions.ParseBeta).ToArray(),
                Mfr: new MfrConfig(mfrMode, WarmupSteps: parse.GetValue(warmup), Reinitialization: new ReinitializationConfig(parse.GetValue(reinitThreshold), parse.GetValue(reinitWindow)), AssignmentRefreshSteps: parse.GetValue(refresh)),
                Seeds: parse.GetValue(seeds), Seed: parse.GetValue(seed), CrossRunConsistency: !parse.GetValue(noReplicate), RecoveryEverySteps: parse.GetValue(evalEvery));
            config.Validate();
            string folder = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", "synthetic-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            context.Error.WriteLine($"mfr synthetic: {sampleCount:N0} samples per SAE, batch {config.BatchSize}, h {config.LatentCount}, k {config.K}, seeds {config.Seed}..{config.Seed + (ulong)config.Seeds - 1}, folder {folder}");
            FindingLines.Write(context.Error, SyntheticFindings.BeforeTraining(config));
            var result = ExperimentRunner.Run(context, "synthetic", folder, progress => SyntheticExperiment.Run(config, folder, progress, context.Cancellation));
            if (result is null) return ExperimentRunner.InterruptedExitCode;
            context.Output.Write(SyntheticResultTables.Text(result));
            context.Output.WriteLine($"Results: {Path.Combine(folder, "results.json")} ({result.WallSeconds:F0} s)");
            return 0;
        });
        return command;
    }
}

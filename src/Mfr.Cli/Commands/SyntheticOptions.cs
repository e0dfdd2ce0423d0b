using System.CommandLine;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>The flags of `mfr synthetic` and their mapping onto a <see cref="SyntheticExperimentConfig"/> (defaults from <see cref="SyntheticExperimentConfig.Default"/>).</summary>
internal sealed class SyntheticOptions
{
    private static SyntheticExperimentConfig Defaults => SyntheticExperimentConfig.Default;

    public ConfigFileOptions<SyntheticExperimentConfig> File { get; } = new(Defaults);
    public Option<bool> Paper { get; } = new("--paper") { Description = $"The paper's full configuration: {SyntheticExperimentConfig.Paper().SampleCount:N0} samples, batch 10,000, lr 0.01, d 256, n 512, h 512, k 32, M 2." };
    public Option<long> Samples { get; } = new("--samples") { Description = $"Training samples per SAE (--paper: {SyntheticExperimentConfig.Paper().SampleCount:N0}).", DefaultValueFactory = _ => Defaults.SampleCount };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<int> Latents { get; } = new("--latents") { Description = "Latents h.", DefaultValueFactory = _ => Defaults.LatentCount };
    public Option<int> K { get; } = new("--k") { Description = "Active latents k.", DefaultValueFactory = _ => Defaults.K };
    public Option<float> LearningRate { get; } = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adamw or adam.", DefaultValueFactory = _ => FlagValues.Name(Defaults.Optimizer) };
    public Option<string[]> Betas { get; } = new("--beta") { Description = "One MFR configuration per value: 'auto' and/or numbers (e.g. --beta auto 0.1 1).", DefaultValueFactory = _ => Defaults.BetaValues.Select(FlagValues.Name).ToArray(), AllowMultipleArgumentsPerToken = true };
    public Option<string> Mode { get; } = new("--mode") { Description = "What the coupled runs use: mfr (both), penalty, reinit, or mean-max (mean-max cosine penalty, one run per --beta).", DefaultValueFactory = _ => FlagValues.Name(Defaults.MfrTemplate.Mode) };
    public Option<int> Warmup { get; } = new("--warmup") { Description = "Warm-up steps T_w (cosine for MFR, linear for mean-max).", DefaultValueFactory = _ => Defaults.MfrTemplate.WarmupSteps };
    public Option<double> ReinitThreshold { get; } = new("--reinit-threshold") { Description = "Re-initialisation threshold theta.", DefaultValueFactory = _ => Defaults.MfrTemplate.ReinitializationSettings.Threshold };
    public Option<long> ReinitWindow { get; } = new("--reinit-window") { Description = "Re-initialisation checked during the first N steps (0: whole run).", DefaultValueFactory = _ => Defaults.MfrTemplate.ReinitializationSettings.WindowSteps };
    public Option<int> Refresh { get; } = new("--refresh") { Description = "Solve the assignment every N steps (1: exact every step).", DefaultValueFactory = _ => Defaults.MfrTemplate.AssignmentRefreshSteps };
    public Option<int> EvalEvery { get; } = new("--eval-every") { Description = "Log each SAE's ground-truth MMCS and recovery every N steps, plus step 0 and the last (paper figure 8; 0: off).", DefaultValueFactory = _ => Defaults.RecoveryEverySteps };
    public Option<int> Seeds { get; } = new("--seeds") { Description = "Repeat over this many seeds and report mean and spread.", DefaultValueFactory = _ => Defaults.Seeds };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "First seed.", DefaultValueFactory = _ => Defaults.Seed };
    public Option<bool> NoReplicate { get; } = new("--no-replicate") { Description = "Skip the independent replicate runs (cross-run consistency)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Paper, Samples, BatchSize, Latents, K, LearningRate, Optimizer, Betas, Mode, Warmup, ReinitThreshold, ReinitWindow, Refresh, EvalEvery, Seeds, Seed, NoReplicate })
            command.Options.Add(option);
        File.AddTo(command);
    }

    /// <summary>The --config file (or the defaults; --paper: the paper's configuration) with the flags given on the command line applied.</summary>
    public SyntheticExperimentConfig ToConfig(ParseResult parse)
    {
        var config = parse.GetValue(Paper) ? SyntheticExperimentConfig.Paper() : File.Load(parse);
        if (parse.GetValue(Paper) && parse.Given(File.File)) throw new ArgumentException("--paper and --config both choose the whole configuration; give one.");
        var mfr = config.MfrTemplate;
        var reinit = mfr.ReinitializationSettings;
        ulong seed = parse.Or(Seed, config.Seed);
        return config with
        {
            Data = config.Data with { Seed = parse.Given(Seed) ? seed : config.Data.Seed },
            SampleCount = parse.Or(Samples, config.SampleCount),
            BatchSize = parse.Or(BatchSize, config.BatchSize),
            LatentCount = parse.Or(Latents, config.LatentCount),
            K = parse.Or(K, config.K),
            LearningRate = parse.Or(LearningRate, config.LearningRate),
            Optimizer = parse.Given(Optimizer) ? FlagValues.ParseOptimizer(parse.GetValue(Optimizer)!) : config.Optimizer,
            Betas = parse.Given(Betas) ? parse.GetValue(Betas)!.Select(FlagValues.ParseBeta).ToArray() : config.Betas,
            Mfr = mfr with
            {
                Mode = parse.Given(Mode) ? FlagValues.ParseMode(parse.GetValue(Mode)!) : mfr.Mode,
                WarmupSteps = parse.Or(Warmup, mfr.WarmupSteps),
                AssignmentRefreshSteps = parse.Or(Refresh, mfr.AssignmentRefreshSteps),
                Reinitialization = reinit with { Threshold = parse.Or(ReinitThreshold, reinit.Threshold), WindowSteps = parse.Or(ReinitWindow, reinit.WindowSteps) },
            },
            RecoveryEverySteps = parse.Or(EvalEvery, config.RecoveryEverySteps),
            Seeds = parse.Or(Seeds, config.Seeds),
            Seed = seed,
            CrossRunConsistency = parse.GetValue(NoReplicate) ? false : config.CrossRunConsistency,
        };
    }
}

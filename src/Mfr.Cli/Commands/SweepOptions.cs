using System.CommandLine;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>The flags of a k sweep, shared by `sweep`, `eeg` and `gpt2`, with their defaults from each experiment's <see cref="KSweepSettings"/>.</summary>
internal sealed class SweepOptions(KSweepSettings defaults)
{
    public Option<int> Latents { get; } = new("--latents") { Description = "Latents h.", DefaultValueFactory = _ => defaults.LatentCount };
    public Option<int[]> K { get; } = new("--k") { Description = "k values (one baseline SAE each; all in one MFR ensemble).", DefaultValueFactory = _ => defaults.Ks, AllowMultipleArgumentsPerToken = true };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => defaults.Training.BatchSize };
    public Option<float> LearningRate { get; } = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => defaults.Training.LearningRate };
    public Option<long> Samples { get; } = new("--samples") { Description = "Training samples per SAE (epochs over the data as needed).", DefaultValueFactory = _ => defaults.Training.SampleCount };
    public Option<string> Beta { get; } = new("--beta") { Description = "'auto' or a number.", DefaultValueFactory = _ => FlagValues.Name(defaults.Mfr.Beta) };
    public Option<int> Refresh { get; } = new("--refresh") { Description = "Solve the MFR assignments every N steps.", DefaultValueFactory = _ => defaults.Mfr.AssignmentRefreshSteps };
    public Option<int> Warmup { get; } = new("--warmup") { Description = "Warm-up steps T_w (cosine for MFR, linear for mean-max).", DefaultValueFactory = _ => defaults.Mfr.WarmupSteps };
    public Option<string> Mode { get; } = new("--mode") { Description = "What the coupled ensemble uses: mfr (penalty + re-initialisation), penalty, reinit, or mean-max (mean-max cosine penalty).", DefaultValueFactory = _ => FlagValues.Name(defaults.Mfr.Mode) };
    public Option<double> ReinitThreshold { get; } = new("--reinit-threshold") { Description = "Re-initialisation threshold theta.", DefaultValueFactory = _ => defaults.Mfr.ReinitializationSettings.Threshold };
    public Option<long> ReinitWindow { get; } = new("--reinit-window") { Description = "Check re-initialisation during the first N steps (0: whole run; 1: the initial draw only, see README).", DefaultValueFactory = _ => defaults.Mfr.ReinitializationSettings.WindowSteps };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed (initialisations and shuffling).", DefaultValueFactory = _ => defaults.Training.Seed };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Latents, K, BatchSize, LearningRate, Samples, Beta, Refresh, Warmup, Mode, ReinitThreshold, ReinitWindow, Seed }) command.Options.Add(option);
    }

    /// <summary><paramref name="current"/> with the flags given on the command line applied.</summary>
    public KSweepSettings Apply(ParseResult parse, KSweepSettings current)
    {
        var training = current.Training;
        var mfr = current.Mfr;
        var reinit = mfr.ReinitializationSettings;
        bool reinitGiven = parse.Given(ReinitThreshold) || parse.Given(ReinitWindow);
        return current with
        {
            LatentCount = parse.Or(Latents, current.LatentCount),
            Ks = parse.Or(K, current.Ks),
            Training = training with
            {
                SampleCount = parse.Or(Samples, training.SampleCount),
                BatchSize = parse.Or(BatchSize, training.BatchSize),
                LearningRate = parse.Or(LearningRate, training.LearningRate),
                Seed = parse.Or(Seed, training.Seed),
            },
            Mfr = mfr with
            {
                Mode = parse.Given(Mode) ? FlagValues.ParseMode(parse.GetValue(Mode)!) : mfr.Mode,
                Beta = parse.Given(Beta) ? FlagValues.ParseBeta(parse.GetValue(Beta)!) : mfr.Beta,
                WarmupSteps = parse.Or(Warmup, mfr.WarmupSteps),
                AssignmentRefreshSteps = parse.Or(Refresh, mfr.AssignmentRefreshSteps),
                Reinitialization = reinitGiven ? reinit with { Threshold = parse.Or(ReinitThreshold, reinit.Threshold), WindowSteps = parse.Or(ReinitWindow, reinit.WindowSteps) } : mfr.Reinitialization,
            },
        };
    }
}

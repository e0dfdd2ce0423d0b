using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>`mfr eeg`: the paper's EEG experiment (SPEC 5, <see cref="EegExperiment"/>): prepare a folder of EDF files once, then the k sweep.</summary>
internal static class EegCommand
{
    public static Command Create(CommandContext context)
    {
        var defaults = EegExperimentConfig.Default;
        var file = new ConfigFileOptions<EegExperimentConfig>(defaults);
        var folder = new Option<DirectoryInfo?>("--folder") { Description = "Folder of EDF/BDF recordings (searched recursively); required unless --config names it." };
        var rate = new Option<string>("--target-rate") { Description = "Resample to this rate in Hz (TUH's common rate by default); 0 or 'none' keeps the files' rate.", DefaultValueFactory = _ => defaults.Preprocessing.TargetSamplingRateHz?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none" };
        var heldOutFraction = new Option<double>("--held-out-fraction") { Description = "Share of recordings held out for the reported loss.", DefaultValueFactory = _ => defaults.Preprocessing.HeldOutFraction };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Where the prepared arrays go (default: OUT/data)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: runs/eeg-<time>; an existing one is resumed)." };
        var sweep = new SweepOptions(defaults.Sweep);
        var command = new Command("eeg", "Prepare EDF recordings and run the paper's EEG sweep (baseline vs MFR per k on held-out recordings).");
        foreach (var option in new Option[] { folder, rate, heldOutFraction, cache, output }) command.Options.Add(option);
        sweep.AddTo(command);
        file.AddTo(command);
        command.SetAction(parse =>
        {
            var config = file.Load(parse);
            var preprocessing = config.Preprocessing with
            {
                TargetSamplingRateHz = parse.Given(rate) ? FlagValues.ParseTargetRate(parse.GetValue(rate)!) : config.Preprocessing.TargetSamplingRateHz,
                HeldOutFraction = parse.Or(heldOutFraction, config.Preprocessing.HeldOutFraction),
                SplitSeed = parse.Or(sweep.Seed, config.Preprocessing.SplitSeed),
            };
            config = config with { Folder = parse.GetValue(folder)?.FullName ?? config.Folder, CacheFolder = parse.GetValue(cache)?.FullName ?? config.CacheFolder, Preprocessing = preprocessing, Sweep = sweep.Apply(parse, config.Sweep) };
            if (file.Printed(parse, config, context.Output)) return 0;
            string outputFolder = parse.GetValue(output)?.FullName ?? ExperimentFolder.DefaultPath("eeg");
            var progress = ProgressSinks.For(context, "mfr eeg");
            var result = ExperimentRunner.RunSweep(context, "eeg", outputFolder, config.Sweep, runs => EegExperiment.Run(config, outputFolder, progress with { Runs = runs }, context.Cancellation), eeg => eeg.Sweep);
            return result is null ? ExperimentRunner.InterruptedExitCode : 0;
        });
        return command;
    }
}

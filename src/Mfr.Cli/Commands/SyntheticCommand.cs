using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Reports;

namespace Mfr.Cli.Commands;

/// <summary>`mfr synthetic`: the paper's synthetic experiment (SPEC 3, <see cref="SyntheticExperiment"/>): baseline vs MFR SAEs against known features.</summary>
internal static class SyntheticCommand
{
    public static Command Create(CommandContext context)
    {
        var options = new SyntheticOptions();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Experiment folder (default: runs/synthetic-<time>); an existing one is resumed." };
        var command = new Command("synthetic", "Train baseline and MFR SAEs on synthetic data with known features and print the results table.");
        options.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var config = options.ToConfig(parse);
            if (options.File.Printed(parse, config, context.Output)) return 0;
            config.Validate();
            string folder = parse.GetValue(output)?.FullName ?? ExperimentFolder.DefaultPath("synthetic");
            context.Error.WriteLine($"mfr synthetic: {config.SampleCount:N0} samples per SAE, batch {config.BatchSize}, h {config.LatentCount}, k {config.K}, seeds {config.Seed}..{config.Seed + (ulong)config.Seeds - 1}, folder {folder}");
            FindingLines.Write(context.Error, SyntheticFindings.BeforeTraining(config));
            var result = ExperimentRunner.Run(context, "synthetic", folder, progress => SyntheticExperiment.Run(config, folder, progress, context.Cancellation));
            if (result is null) return ExperimentRunner.InterruptedExitCode;
            context.Output.Write(SyntheticResultTables.Text(result));
            context.Output.WriteLine($"Results: {ExperimentFolder.ResultsPath(folder)} ({result.WallSeconds:F0} s)");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Reports;

namespace Mfr.Cli.Commands;

/// <summary>
/// `mfr consistency`: the consistency experiment (issue 14, <see cref="ConsistencyExperiment.Run"/>): baseline, couplings and
/// AuxK over several seeds on one world, with cross-seed consistency beside reconstruction and ground-truth recovery;
/// `mfr consistency --runs DIR DIR ...` measures the same consistency over finished runs (<see cref="ConsistencyExperiment.MeasureRuns"/>).
/// </summary>
internal static class ConsistencyCommand
{
    public static Command Create(CommandContext context)
    {
        var options = new ConsistencyOptions();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Experiment folder (default: runs/consistency-<time>); an existing one is resumed." };
        var report = new Option<bool>("--report") { Description = "Write report.html and report.md into the experiment folder at the end." };
        var runs = new Option<DirectoryInfo[]>("--runs") { Description = "Measure finished run folders (same shapes, one per seed) instead of training: mfr consistency --runs A B C.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("consistency", "Train baseline, coupled and AuxK ensembles over several seeds and measure cross-seed consistency (PW-MCC, shared@tau, stability, step 0) beside reconstruction and ground-truth recovery.");
        options.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(report);
        command.Options.Add(runs);
        command.SetAction(parse =>
        {
            if (parse.GetValue(runs) is { Length: > 0 } folders)
            {
                var measured = ConsistencyExperiment.MeasureRuns([.. folders.Select(f => f.FullName)]);
                context.Output.Write(ConsistencyResultTables.Runs(measured).ToText());
                return 0;
            }
            var config = options.ToConfig(parse);
            if (options.File.Printed(parse, config, context.Output)) return 0;
            config.Validate();
            string folder = parse.GetValue(output)?.FullName ?? ExperimentFolder.DefaultPath("consistency");
            context.Error.WriteLine($"mfr consistency: {(config.UsesFile ? config.DataPath : config.World is null ? config.Benchmark : "custom SynthSAEBench world")}, {config.SampleCount:N0} samples per SAE, batch {config.BatchSize}, h {config.LatentCount}, k {config.K}, " +
                $"{config.VariantList.Count} variants x seeds {config.Seed}..{config.Seed + (ulong)config.Seeds - 1}, folder {folder}");
            FindingLines.Write(context.Error, ConsistencyFindings.BeforeTraining(config, config.TrainingData()));
            var result = ExperimentRunner.Run(context, "consistency", folder, progress => ConsistencyExperiment.Run(config, folder, progress, context.Cancellation));
            if (result is null) return ExperimentRunner.InterruptedExitCode;
            context.Output.Write(ConsistencyResultTables.Text(result));
            context.Output.WriteLine($"Results: {ExperimentFolder.ResultsPath(folder)} ({result.WallSeconds:F0} s)");
            if (parse.GetValue(report)) context.Output.WriteLine($"Report: {ReportCommand.Write(folder, context.Error)}");
            return 0;
        });
        return command;
    }
}

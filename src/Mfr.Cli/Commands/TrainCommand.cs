using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>`mfr train`: one run (<see cref="TrainExperiment"/>): train, evaluate on held-out data, print the table.</summary>
internal static class TrainCommand
{
    public static Command Create(CommandContext context)
    {
        var options = new TrainOptions();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run folder to create (default: runs/train-<time>)." };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue the run in this folder from its latest checkpoint, as its run.json records it." };
        var report = new Option<bool>("--report") { Description = "Write report.html and report.md into the run folder at the end." };
        var command = new Command("train", "Train SAEs on a source of vectors; checkpoints, metrics.jsonl and final SAEs go to a run folder.");
        options.AddTo(command);
        foreach (var option in new Option[] { output, resume, report }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var progress = new ProgressLine(context.Error, context.Interactive, "train");
            TrainExperimentResult result;
            if (parse.GetValue(resume) is DirectoryInfo resumeFolder)
            {
                long? samples = options.ChangesOnResume(parse, resumeFolder.FullName, context.Error);
                result = TrainExperiment.Resume(resumeFolder.FullName, parse.GetValue(options.EvalBatches), progress, context.Cancellation, samples);
            }
            else
            {
                var config = options.ToConfig(parse);
                if (options.File.Printed(parse, config, context.Output)) return 0;
                string folder = parse.GetValue(output)?.FullName ?? ExperimentFolder.DefaultPath("train");
                // Before the start line, which divides by the batch size.
                config.Validate();
                context.Error.WriteLine($"mfr train: {config.Saes.Length} SAE(s), {config.Training.StepCount} steps of {config.Training.BatchSize}, run folder {folder}");
                FindingLines.Write(context.Error, FindingChecks.ReinitializationWithinSamplingNoise(config.Saes.Select(s => (s.K, s.LatentCount)), config.Training.BatchSize, config.Regularization));
                result = TrainExperiment.Start(config, folder, progress, context.Cancellation);
            }
            progress.Finish();
            foreach (string notice in result.Notices) context.Error.WriteLine($"mfr train: {notice}");
            if (!result.Completed) return ExperimentRunner.Interrupted(context, $"mfr train: interrupted at step {result.Step}; checkpoint saved. Continue with: mfr train --resume {result.RunDirectory}");
            context.Output.Write(MetricsTables.Train(result));
            context.Output.WriteLine($"Run folder: {result.RunDirectory} (final SAEs in final/, SAELens v6 layout; metrics in {Mfr.Training.TrainingRun.MetricsFileName})");
            foreach (string warning in Mfr.Interop.FinalSaes.ActivationWarnings(result.RunDirectory)) context.Output.WriteLine(warning);
            if (parse.GetValue(report)) context.Output.WriteLine($"Report: {ReportCommand.Write(result.RunDirectory, context.Error)}");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mfr.Cli.Rendering;
using Mfr.Evaluation;
using Mfr.Training;

namespace Mfr.Cli.Commands;

/// <summary>
/// `mfr train`: trains one or several SAEs (independent, or coupled by MFR) into a run folder (on synthetic
/// data logging ground-truth recovery every --eval-every steps), then evaluates them on held-out data and
/// keeps that evaluation in final/evaluation.json.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(CommandContext context)
    {
        var options = new TrainOptions();
        var config = new Option<FileInfo?>("--config") { Description = "A run.json to train from instead of the flags." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Run folder to create (default: runs/train-<time>)." };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue the run in this folder from its latest checkpoint." };
        var report = new Option<bool>("--report") { Description = "Write report.html and report.md into the run folder at the end." };
        var evalBatches = new Option<int>("--eval-batches") { Description = "Held-out batches for the final evaluation.", DefaultValueFactory = _ => 5 };
        var command = new Command("train", "Train SAEs on a source of vectors; checkpoints, metrics.jsonl and final SAEs go to a run folder.");
        options.AddTo(command);
        command.Options.Add(config);
        command.Options.Add(output);
        command.Options.Add(resume);
        command.Options.Add(evalBatches);
        command.Options.Add(report);
        command.SetAction(parse =>
        {
            var progress = new ProgressLine(context.Error, context.Interactive, "train");
            TrainingRunResult result;
            if (parse.GetValue(resume) is DirectoryInfo resumeFolder)
            {
                var resumed = TrainingRun.ReadSpecification(resumeFolder.FullName);
                result = TrainingRun.Resume(resumeFolder.FullName, progress, context.Cancellation, GroundTruthRecoveryEvaluator.For(resumed.Data));
            }
            else
            {
                var specification = parse.GetValue(config) is FileInfo file ? ReadSpecification(file) : options.ToSpecification(parse);
                string folder = parse.GetValue(output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", "train-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
                context.Error.WriteLine($"mfr train: {specification.Saes.Length} SAE(s), {specification.Training.StepCount} steps of {specification.Training.BatchSize}, run folder {folder}");
                FindingLines.Write(context.Error, Mfr.Experiments.FindingChecks.ReinitializationWithinSamplingNoise(specification.Saes.Select(s => (s.K, s.LatentCount)), specification.Training.BatchSize, specification.Regularization));
                result = TrainingRun.Start(specification, folder, progress, context.Cancellation, GroundTruthRecoveryEvaluator.For(specification.Data));
            }
            using (result)
            {
                progress.Finish();
                foreach (string notice in result.Notices) context.Error.WriteLine($"mfr train: {notice}");
                if (!result.Completed)
                {
                    context.Error.WriteLine($"mfr train: interrupted at step {result.Trainer.Step}; checkpoint saved. Continue with: mfr train --resume {result.RunDirectory}");
                    return ExperimentRunner.InterruptedExitCode;
                }
                var specification = TrainingRun.ReadSpecification(result.RunDirectory);
                var (source, firstBatch) = HeldOutData.Open(specification.Data);
                using (source)
                {
                    var (batches, batchSize) = HeldOutData.Batches(source.VectorCount, Math.Min(specification.Training.BatchSize, 10_000), parse.GetValue(evalBatches));
                    var evaluation = HeldOutEvaluation.Measure(result.Trainer.Members.Select(m => m.Sae).ToArray(), source, firstBatch, batches, batchSize);
                    evaluation.Save(result.RunDirectory);
                    context.Output.Write(MetricsTable(result.Trainer, evaluation.Saes));
                }
                context.Output.WriteLine($"Run folder: {result.RunDirectory} (final SAEs in final/, metrics in {TrainingRun.MetricsFileName})");
                if (parse.GetValue(report))
                {
                    var document = Mfr.Reports.RunReport.Build(result.RunDirectory);
                    Mfr.Reports.HtmlReportWriter.WriteFile(document, Path.Combine(result.RunDirectory, "report.html"));
                    Mfr.Reports.MarkdownReportWriter.Write(document).WriteTo(result.RunDirectory);
                    context.Output.WriteLine($"Report: {Path.Combine(result.RunDirectory, "report.html")}");
                }
            }
            return 0;
        });
        return command;
    }

    internal static string MetricsTable(Trainer trainer, IReadOnlyList<ReconstructionMetrics> metrics)
    {
        var table = new TextTable("SAE", "k", "h", "seed", "MSE", "FVU", "L0", "dead", "reinits");
        for (int m = 0; m < metrics.Count; m++)
        {
            var member = trainer.Members[m];
            table.AddRow($"sae-{m}", member.Sae.Config.K.ToString(CultureInfo.InvariantCulture), member.Sae.Config.LatentCount.ToString(CultureInfo.InvariantCulture),
                member.Seed.ToString(CultureInfo.InvariantCulture), Format(metrics[m].Mse), Format(metrics[m].Fvu), metrics[m].L0.ToString("F2", CultureInfo.InvariantCulture),
                metrics[m].DeadLatents.ToString(CultureInfo.InvariantCulture), member.ReinitializationCount.ToString(CultureInfo.InvariantCulture));
        }
        return table.ToString();
    }

    internal static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static RunSpecification ReadSpecification(FileInfo file)
    {
        if (!file.Exists) throw new FileNotFoundException($"Config file not found: {file.FullName}", file.FullName);
        var specification = JsonSerializer.Deserialize<RunSpecification>(File.ReadAllText(file.FullName), MetricLog.JsonOptions)
            ?? throw new InvalidDataException($"{file.FullName} is empty.");
        specification.Validate();
        return specification;
    }
}

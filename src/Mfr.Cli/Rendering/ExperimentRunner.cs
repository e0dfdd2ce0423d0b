using Mfr.Experiments;
using Mfr.Reports;
using Mfr.Training;

namespace Mfr.Cli.Rendering;

/// <summary>What every multi-run experiment command does around the library call: one live progress line per run, and the interrupted message.</summary>
internal static class ExperimentRunner
{
    /// <summary>Runs <paramref name="experiment"/> with a fresh progress line per labelled run; null when interrupted (the message is written).</summary>
    public static T? Run<T>(CommandContext context, string name, string folder, Func<Func<string, IProgress<TrainingProgress>>, T?> experiment) where T : class
    {
        ProgressLine? line = null;
        T? result;
        try
        {
            result = experiment(label =>
            {
                line?.Finish();
                return line = new ProgressLine(context.Error, context.Interactive, label);
            });
        }
        finally
        {
            line?.Finish();
        }
        if (result is null) context.Error.WriteLine($"mfr {name}: interrupted; checkpoints saved. Run the same command with --out {folder} to continue.");
        return result;
    }

    /// <summary>The header, the findings known before training, the runs with their progress lines, and the tables: what `sweep`, `eeg` and `gpt2` print around their sweep.</summary>
    public static T? RunSweep<T>(CommandContext context, string name, string folder, KSweepSettings config, Func<Func<string, IProgress<TrainingProgress>>, T?> experiment,
        Func<T, KSweepResult> sweepOf) where T : class
    {
        config.Validate();
        context.Error.WriteLine($"mfr {name}: k {string.Join(" ", config.Ks)}, h {config.LatentCount}, {config.Training.StepCount} steps of {config.Training.BatchSize}, folder {folder}");
        FindingLines.Write(context.Error, KSweepFindings.BeforeTraining(config));
        var result = Run(context, name, folder, experiment);
        if (result is null) return null;
        var sweep = sweepOf(result);
        context.Output.Write(KSweepResultTables.Text(sweep));
        context.Output.WriteLine($"Results: {ExperimentFolder.ResultsPath(folder)} ({sweep.WallSeconds:F0} s)");
        return result;
    }

    /// <summary>Writes <paramref name="message"/> and returns <see cref="InterruptedExitCode"/>.</summary>
    public static int Interrupted(CommandContext context, string message)
    {
        context.Error.WriteLine(message);
        return InterruptedExitCode;
    }

    /// <summary>Exit code of an interrupted command (128 + SIGINT).</summary>
    public const int InterruptedExitCode = 130;
}

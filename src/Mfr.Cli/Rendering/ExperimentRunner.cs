using System.Text.Json;
using Mfr.IO;
using Mfr.Training;

namespace Mfr.Cli.Rendering;

/// <summary>What every multi-run experiment command does around the library call: one live progress line per run, the interrupted message, and results.json.</summary>
internal static class ExperimentRunner
{
    /// <summary>Runs <paramref name="experiment"/> with a fresh progress line per labelled run; writes results.json, or reports the interruption and returns null.</summary>
    public static T? Run<T>(CommandContext context, string name, string folder, Func<Func<string, IProgress<TrainingProgress>>, T?> experiment) where T : class
    {
        ProgressLine? line = null;
        var result = experiment(label =>
        {
            line?.Finish();
            return line = new ProgressLine(context.Error, context.Interactive, label);
        });
        line?.Finish();
        if (result is null)
        {
            context.Error.WriteLine($"mfr {name}: interrupted; checkpoints saved. Run the same command with --out {folder} to continue.");
            return null;
        }
        AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions(MetricLog.JsonOptions) { WriteIndented = true }));
        return result;
    }

    /// <summary>Exit code of an interrupted command (128 + SIGINT).</summary>
    public const int InterruptedExitCode = 130;
}

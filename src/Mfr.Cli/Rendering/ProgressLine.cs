using System.Diagnostics;
using Mfr.Training;

namespace Mfr.Cli.Rendering;

/// <summary>
/// The live progress line of long work: step, percentage, losses, samples/s and ETA. On a
/// terminal it redraws one line at most 5 times a second; otherwise it writes a line every 10
/// seconds so logs stay short.
/// </summary>
internal sealed class ProgressLine(TextWriter writer, bool interactive, string label) : IProgress<TrainingProgress>
{
    private readonly Stopwatch sinceDraw = Stopwatch.StartNew();
    private bool drawn;

    public void Report(TrainingProgress value)
    {
        bool last = value.Step == value.TotalSteps;
        if (!last && sinceDraw.ElapsedMilliseconds < (interactive ? 200 : 10_000)) return;
        sinceDraw.Restart();
        string losses = string.Join(" ", value.Metrics.Losses.Select(l => l.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)));
        string penalty = value.Metrics.Beta is null ? "" : $" penalty {value.Metrics.Penalty:G3}";
        string text = $"{label} step {value.Step}/{value.TotalSteps} ({100.0 * value.Step / value.TotalSteps:F0}%) loss {losses}{penalty} | {value.SamplesPerSecond:N0} samples/s | ETA {Format(value.Remaining)}";
        if (interactive)
        {
            writer.Write("\r" + text.PadRight(Math.Max(text.Length, 100)));
            drawn = true;
            if (last) Finish();
        }
        else
        {
            writer.WriteLine(text);
        }
        writer.Flush();
    }

    /// <summary>Ends the live line so the next output starts on a fresh line.</summary>
    public void Finish()
    {
        if (drawn) writer.WriteLine();
        drawn = false;
    }

    private static string Format(TimeSpan span) => span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss") : span.ToString(@"m\:ss");
}

using System.Diagnostics;
using Mfr.Eeg;
using Mfr.Experiments;

namespace Mfr.Cli.Rendering;

/// <summary>
/// The console side of an <see cref="ExperimentProgress"/>: notes as "mfr NAME: ..." lines, and the EEG preparation and
/// GPT-2 extraction as one redrawn line on a terminal, or a line per tenth of the work in a log file. Every sink
/// writes as it is called (not posted to the thread pool as <see cref="Progress{T}"/> does), so lines keep their order.
/// </summary>
internal static class ProgressSinks
{
    public static ExperimentProgress For(CommandContext context, string prefix)
    {
        var clock = Stopwatch.StartNew();
        return new ExperimentProgress
        {
            Notes = new Sink<string>(note => context.Error.WriteLine($"{prefix}: {note}")),
            EegPreparation = new Sink<EegPreparationProgress>(p =>
                Draw(context, $"preparing {p.FilesDone}/{p.FileCount} files, {p.SegmentCount} segments", p.FilesDone, p.FileCount)),
            Activations = new Sink<ActivationProgress>(p =>
            {
                if (p.Done <= 0) clock.Restart();
                Draw(context, $"activations {p.Done:N0}/{p.Total:N0} tokens, {p.Done / Math.Max(1e-9, clock.Elapsed.TotalSeconds):N0} tokens/s", p.Done, p.Total);
                if (p.Done >= p.Total) clock.Restart();
            }),
        };
    }

    private static void Draw(CommandContext context, string text, long done, long total)
    {
        bool last = done >= total;
        if (context.Interactive)
        {
            context.Error.Write($"\r{text}   ");
            if (last) context.Error.WriteLine();
        }
        else if (last || done % Math.Max(1, total / 10) == 0)
        {
            context.Error.WriteLine(text);
        }
    }

    private sealed class Sink<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

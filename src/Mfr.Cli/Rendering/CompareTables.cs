using System.Globalization;
using Mfr.Experiments;

namespace Mfr.Cli.Rendering;

/// <summary>`mfr compare`'s text: MMCS, shared@tau per threshold, and the matched-cosine histogram from its lowest non-empty bin up to 1.</summary>
internal static class CompareTables
{
    public static string Render(CompareExperimentResult result)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"A: {result.SaeA} (h {result.LatentCountA})\nB: {result.SaeB} (h {result.LatentCountB})\n");
        text.Append(CultureInfo.InvariantCulture, $"d_in {result.InputDim}, {result.MatchedCount} matched pairs\nMMCS {result.Mmcs:F4}\n");
        foreach (var shared in result.Shared) text.Append(CultureInfo.InvariantCulture, $"shared@{shared.Threshold:0.0#} {shared.Fraction:F4}\n");
        var table = new TextTable("cosine", "pairs", "");
        int first = result.Histogram.ToList().FindIndex(bin => bin.Count > 0);
        int widest = Math.Max(1, result.Histogram.Max(bin => bin.Count));
        foreach (var bin in result.Histogram.Skip(Math.Max(first, 0)))
            table.AddRow(string.Create(CultureInfo.InvariantCulture, $"[{bin.Lower:F1}, {bin.Upper:F1}{(bin.Upper >= 1 ? "]" : ")")}"),
                bin.Count.ToString(CultureInfo.InvariantCulture), new string('#', (int)Math.Ceiling(40.0 * bin.Count / widest)));
        return text + "Matched cosines:\n" + table;
    }
}

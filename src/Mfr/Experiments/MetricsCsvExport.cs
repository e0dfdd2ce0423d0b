using System.Globalization;
using System.Text;

namespace Mfr.Experiments;

/// <summary>
/// `mfr export-metrics RUN --csv FILE` (issue 15 item 7): a run's metrics.jsonl as the tidy long table of
/// <see cref="MetricsTable"/>, <c>type,step,sae,k,metric,value</c>, so <c>pd.read_csv</c> takes it without reshaping.
/// Numbers are written in the invariant culture at full precision (round-trip "R"), NaN as <c>NaN</c> (which pandas reads
/// as NaN); an ensemble-wide metric has empty sae and k cells.
/// </summary>
public static class MetricsCsvExport
{
    /// <summary>The header line.</summary>
    public static readonly string Header = string.Join(",", MetricsTable.Columns);

    /// <summary>Writes the table of <paramref name="runDirectory"/>'s log to <paramref name="csvPath"/>; returns the number of data rows.</summary>
    /// <exception cref="FileNotFoundException">The folder has no run.json or no metrics.jsonl.</exception>
    public static long Write(string runDirectory, string csvPath)
    {
        var rows = MetricsTable.Read(runDirectory);
        long count = 0;
        using var writer = new StreamWriter(csvPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.NewLine = "\n";
        writer.WriteLine(Header);
        foreach (var row in rows)
        {
            writer.WriteLine($"{row.Type},{Cell(row.Step)},{Cell(row.Sae)},{Cell(row.K)},{row.Metric},{row.Value.ToString("R", CultureInfo.InvariantCulture)}");
            count++;
        }
        return count;
    }

    private static string Cell(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
}

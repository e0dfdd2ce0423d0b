using Parquet;
using Parquet.Schema;

namespace Mfr.Experiments;

/// <summary>
/// `mfr export-metrics RUN --parquet FILE` (issue 15 item 7): the tidy long table of <see cref="MetricsTable"/> as one
/// Parquet row group (Parquet.Net), for <c>pd.read_parquet</c>: columns type (string), step (int64), sae and k (int32,
/// null for an ensemble-wide metric), metric (string), value (double, NaN kept).
/// </summary>
public static class MetricsParquetExport
{
    /// <summary>The file's schema, in <see cref="MetricsTable.Columns"/> order.</summary>
    public static ParquetSchema Schema { get; } = new(
        new DataField<string>("type", nullable: false),
        new DataField<long>("step"),
        new DataField<int?>("sae"),
        new DataField<int?>("k"),
        new DataField<string>("metric", nullable: false),
        new DataField<double>("value"));

    /// <summary>Writes the table of <paramref name="runDirectory"/>'s log to <paramref name="parquetPath"/>; returns the number of rows.</summary>
    /// <exception cref="FileNotFoundException">The folder has no run.json or no metrics.jsonl.</exception>
    public static long Write(string runDirectory, string parquetPath)
    {
        var rows = MetricsTable.Read(runDirectory).ToList();
        // Parquet.Net is asynchronous only; nothing here runs on a synchronisation context, so waiting cannot deadlock.
        WriteAsync(rows, parquetPath).GetAwaiter().GetResult();
        return rows.Count;
    }

    private static async Task WriteAsync(IReadOnlyList<MetricRow> rows, string path)
    {
        var fields = Schema.DataFields;
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(Schema, stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(fields[0], rows.Select(row => row.Type).ToArray());
        await group.WriteAsync<long>(fields[1], rows.Select(row => row.Step).ToArray());
        await group.WriteAsync<int>(fields[2], rows.Select(row => row.Sae).ToArray());
        await group.WriteAsync<int>(fields[3], rows.Select(row => row.K).ToArray());
        await group.WriteAsync(fields[4], rows.Select(row => row.Metric).ToArray());
        await group.WriteAsync<double>(fields[5], rows.Select(row => row.Value).ToArray());
    }
}

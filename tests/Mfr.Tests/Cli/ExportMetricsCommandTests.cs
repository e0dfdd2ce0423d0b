using System.Globalization;
using System.Text.Json;
using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>Issue 15 item 7: `mfr export-metrics RUN --csv FILE --parquet FILE` writes metrics.jsonl as a tidy long table for pandas.</summary>
public sealed class ExportMetricsCommandTests
{
    [Fact]
    public void ExportMetrics_WritesOneRowPerLineSaeAndMetric_WithTheLogsNumbersAtFullPrecision()
    {
        // Given a tiny two-SAE MFR run (k = 2 and 3) of 4 steps (so its step lines carry beta and the pair MMCS), with step and recovery lines in its metrics.jsonl
        using var folder = new TemporaryDirectory();
        string run = folder.Combine("run");
        var error = new StringWriter();
        int trainCode = CliApplication.Run(["train", "--samples", "256", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16",
            "--k", "2", "3", "--count", "1", "--mode", "mfr", "--out", run], new StringWriter(), error);
        Assert.True(trainCode == 0, error.ToString());
        var lines = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).ToList();

        // When its metrics are exported
        string csv = folder.Combine("metrics.csv");
        int code = CliApplication.Run(["export-metrics", run, "--csv", csv], new StringWriter(), error);

        // Then the CSV has the header and one row per (line, SAE, metric), counted here from the JSON lines themselves
        Assert.True(code == 0, error.ToString());
        string[] rows = File.ReadAllLines(csv);
        Assert.Equal("type,step,sae,k,metric,value", rows[0]);
        long expectedRows = 0;
        foreach (var line in lines)
        {
            switch (line.GetProperty("type").GetString())
            {
                case "step":
                    // loss, l0, deadLatents, reinitScore per SAE; penalty; beta when logged; one per SAE pair's MMCS
                    expectedRows += 2 * 4 + 1 + (line.GetProperty("beta").ValueKind == JsonValueKind.Null ? 0 : 1) + line.GetProperty("pairMmcs").GetArrayLength();
                    break;
                case "recovery":
                    expectedRows += 2 * (1 + line.GetProperty("thresholds").GetArrayLength());
                    break;
                case "reinit":
                    expectedRows += 2;
                    break;
            }
        }
        Assert.Equal(4, lines.Count(line => line.GetProperty("type").GetString() == "step"));
        Assert.Equal(expectedRows, rows.Length - 1);
        // and the values are the log's, bit for bit: step 4's loss of SAE 1 (k = 3) and its ground-truth MMCS at step 4
        var lastStep = lines.Last(line => line.GetProperty("type").GetString() == "step");
        var lossRow = rows.Single(row => row.StartsWith("step,4,1,3,loss,", StringComparison.Ordinal));
        Assert.Equal(lastStep.GetProperty("losses")[1].GetDouble(), double.Parse(lossRow.Split(',')[5], CultureInfo.InvariantCulture));
        var recovery = lines.Last(line => line.GetProperty("type").GetString() == "recovery");
        var mmcsRow = rows.Single(row => row.StartsWith("recovery,4,1,3,gtMmcs,", StringComparison.Ordinal));
        Assert.Equal(recovery.GetProperty("mmcs")[1].GetDouble(), double.Parse(mmcsRow.Split(',')[5], CultureInfo.InvariantCulture));
        var recoveredRow = rows.Single(row => row.StartsWith("recovery,4,0,2,recovered@0.7,", StringComparison.Ordinal));
        Assert.Equal(recovery.GetProperty("recovered")[0][0].GetDouble(), double.Parse(recoveredRow.Split(',')[5], CultureInfo.InvariantCulture));
        var pairRow = rows.Single(row => row.StartsWith("step,4,,,pairMmcs:0-1,", StringComparison.Ordinal));
        Assert.Equal(lastStep.GetProperty("pairMmcs")[0].GetDouble(), double.Parse(pairRow.Split(',')[5], CultureInfo.InvariantCulture));
        var betaRow = rows.Single(row => row.StartsWith("step,4,,,beta,", StringComparison.Ordinal));
        Assert.Equal(lastStep.GetProperty("beta").GetDouble(), double.Parse(betaRow.Split(',')[5], CultureInfo.InvariantCulture));
        // and every row has six cells
        Assert.All(rows, row => Assert.Equal(6, row.Split(',').Length));
    }

    [Fact]
    public async Task ExportMetricsParquet_ReadsBackAsTheCsvsTable_WithNullsAndTheLogsBits()
    {
        // Given a tiny two-SAE MFR run (so there are ensemble-wide rows with empty sae and k)
        using var folder = new TemporaryDirectory();
        string run = folder.Combine("run");
        var error = new StringWriter();
        int trainCode = CliApplication.Run(["train", "--samples", "128", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16",
            "--k", "2", "3", "--count", "1", "--mode", "mfr", "--out", run], new StringWriter(), error);
        Assert.True(trainCode == 0, error.ToString());

        // When its metrics are exported as CSV and as Parquet, and the Parquet file is read back with Parquet.Net's reader
        string csv = folder.Combine("metrics.csv"), parquet = folder.Combine("metrics.parquet");
        int code = CliApplication.Run(["export-metrics", run, "--csv", csv, "--parquet", parquet], new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
        var table = await ReadParquet(parquet);

        // Then it has the CSV's columns and, row for row, its cells (null where the CSV cell is empty, doubles bit for bit)
        Assert.Equal(["type", "step", "sae", "k", "metric", "value"], table.Columns);
        string[] rows = File.ReadAllLines(csv)[1..];
        Assert.Equal(rows.Length, table.Rows.Count);
        for (int i = 0; i < rows.Length; i++)
        {
            string[] cells = rows[i].Split(',');
            var row = table.Rows[i];
            Assert.Equal(cells[0], row.Type);
            Assert.Equal(long.Parse(cells[1], CultureInfo.InvariantCulture), row.Step);
            Assert.Equal(cells[2] == "" ? null : int.Parse(cells[2], CultureInfo.InvariantCulture), row.Sae);
            Assert.Equal(cells[3] == "" ? null : int.Parse(cells[3], CultureInfo.InvariantCulture), row.K);
            Assert.Equal(cells[4], row.Metric);
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(cells[5], CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(row.Value));
        }
        // and the loss of SAE 1 at the last step is the log's
        var lastStep = File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement).Last(line => line.GetProperty("type").GetString() == "step");
        Assert.Equal(lastStep.GetProperty("losses")[1].GetDouble(), table.Rows.Single(r => r is { Type: "step", Step: 2, Sae: 1, Metric: "loss" }).Value);
        Assert.Contains(table.Rows, r => r is { Metric: "penalty", Sae: null, K: null });
    }

    private static async Task<(string[] Columns, List<(string Type, long Step, int? Sae, int? K, string Metric, double Value)> Rows)> ReadParquet(string path)
    {
        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        var fields = reader.Schema.DataFields;
        var rows = new List<(string, long, int?, int?, string, double)>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int count = (int)group.RowCount;
            var type = new string?[count];
            var step = new long[count];
            var sae = new int?[count];
            var k = new int?[count];
            var metric = new string?[count];
            var value = new double[count];
            await group.ReadAsync(fields[0], type.AsMemory());
            await group.ReadAsync<long>(fields[1], step.AsMemory());
            await group.ReadAsync<int>(fields[2], sae.AsMemory());
            await group.ReadAsync<int>(fields[3], k.AsMemory());
            await group.ReadAsync(fields[4], metric.AsMemory());
            await group.ReadAsync<double>(fields[5], value.AsMemory());
            for (int i = 0; i < count; i++) rows.Add((type[i]!, step[i], sae[i], k[i], metric[i]!, value[i]));
        }
        return (fields.Select(field => field.Name).ToArray(), rows);
    }

    [Fact]
    public void ExportMetrics_WithoutCsv_IsAUsageError()
    {
        // Given a folder, When export-metrics is run without --csv
        using var folder = new TemporaryDirectory();
        var error = new StringWriter();
        int code = CliApplication.Run(["export-metrics", folder.Path, ], new StringWriter(), error);

        // Then it exits 2 naming the flag
        Assert.Equal(2, code);
        Assert.Contains("--csv", error.ToString());
    }
}

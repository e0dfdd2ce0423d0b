using System.Globalization;
using System.Text.Json;
using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>Issue 15 item 7: `mfr export-metrics RUN --csv FILE` writes metrics.jsonl as a tidy long table for pandas.</summary>
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

using System.Text.Json;
using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

public sealed class SyntheticCommandTests
{
    [Fact]
    public void Synthetic_PrintsTheTableWithGroundTruthAndConsistency_AndWritesResults_AndResumesCompletedRuns()
    {
        using var folder = new TemporaryDirectory();
        string[] args = ["synthetic", "--samples", "1500", "--batch-size", "500", "--latents", "32", "--k", "4", "--beta", "auto", "0.5", "--warmup", "2", "--out", folder.Combine("syn")];
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CliApplication.Run(args, output, error);

        Assert.True(code == 0, error.ToString());
        string text = output.ToString();
        Assert.Contains("mfr beta=auto", text);
        Assert.Contains("mfr beta=0.5", text);
        Assert.Contains("latents replicated @0.7", text);
        using var results = JsonDocument.Parse(File.ReadAllText(folder.Combine("syn", "results.json")));
        // baseline pair + two MFR pairs
        Assert.Equal(6, results.RootElement.GetProperty("saes").GetArrayLength());
        // baseline + one replicate comparison per beta
        Assert.Equal(3, results.RootElement.GetProperty("consistency").GetArrayLength());

        // Running the same command again reuses the finished runs and reproduces the table exactly
        var again = new StringWriter();
        Assert.Equal(0, CliApplication.Run(args, again, new StringWriter()));
        Assert.Equal(TableOnly(text), TableOnly(again.ToString()));
    }

    private static string TableOnly(string output) => output[..output.IndexOf("Results:", StringComparison.Ordinal)];
}

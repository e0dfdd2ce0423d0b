using Mfr.Experiments;
using Mfr.Tests.Experiments;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

public sealed class ConsistencyCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    [Fact]
    public void Consistency_OnAFile_PrintsTheTables_WritesResults_AndRunsMeasuresTheSameRunsAfterwards()
    {
        // Given tiny training and held-out files
        using var folder = new TemporaryDirectory();
        string train = ConsistencyExperimentTests.WriteVectors(folder, "train.npy", 600, 1);
        string heldOut = ConsistencyExperimentTests.WriteVectors(folder, "heldout.npy", 200, 2);
        string output = folder.Combine("out");

        // When mfr consistency trains baseline and mean-max at beta 0.1 over two seeds
        var (code, text, error) = Run("consistency", "--data", train, "--held-out", heldOut, "--latents", "8", "--k", "2", "--samples", "300", "--batch-size", "100",
            "--seeds", "2", "--variants", "baseline", "mean-max", "--betas", "0.1", "--warmup", "1", "--eval-batches", "1", "--out", output);

        // Then it exits 0, prints the consistency table and the answer for mean-max, and writes results.json
        Assert.True(code == 0, error);
        Assert.Contains("PW-MCC", text);
        Assert.Contains("shared@0.5/0.7/0.9", text);
        Assert.Contains("mean-max beta=0.1 vs the baseline", text);
        var result = Assert.IsType<ConsistencyExperimentResult>(ExperimentFolder.ReadResults(output));
        Assert.Equal(["baseline", "mean-max beta=0.1"], result.Variants.Select(v => v.Variant));

        // When the same baseline runs are measured after the fact with --runs
        var (postCode, postText, postError) = Run("consistency", "--runs", Path.Combine(output, "seed-0", "baseline"), Path.Combine(output, "seed-1", "baseline"));

        // Then it prints the same PW-MCC the experiment measured for the baseline
        Assert.True(postCode == 0, postError);
        string pwMcc = result.Variants[0].Final.PwMcc.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(pwMcc, postText);
        Assert.Contains("Consistency across 2 runs", postText);
    }

    [Fact]
    public void Consistency_OnASynthSaeBenchWorldFromConfig_ReportsStabilityAgainstTheTruth_AndWritesTheReport()
    {
        // Given the tiny SynthSAEBench experiment as a config file
        using var folder = new TemporaryDirectory();
        string file = folder.Combine("tiny.json");
        File.WriteAllText(file, ConfigFile.Write(ConsistencyExperimentTests.TinyWorldConfig));
        string output = folder.Combine("out");

        // When mfr consistency runs it with --report
        var (code, text, error) = Run("consistency", "--config", file, "--out", output, "--report");

        // Then it prints the stability-vs-truth and concatenated-ensemble tables, and writes the report with its section
        Assert.True(code == 0, error);
        Assert.Contains("Are the stable latents the true features?", text);
        Assert.Contains("naive bagging", text);
        Assert.Contains("The benchmark's own headline metrics", text);
        Assert.Matches(@"(?m)^mfr beta=0\.1 +uniqueness +", text);
        Assert.Contains("custom SynthSAEBench world", error);
        string markdown = File.ReadAllText(Path.Combine(output, "report.md"));
        Assert.Contains("Consistency experiment (issue 14)", markdown);
        // and, per seed, the recovery curves that show whether the baseline's recovery had flattened
        Assert.Contains("recovery-seed-0", markdown);
        Assert.Contains("recovery-seed-1", markdown);
        Assert.True(File.Exists(Path.Combine(output, "report.html")));

        // When the MFR runs of both seeds are measured after the fact
        var (postCode, postText, postError) = Run("consistency", "--runs", Path.Combine(output, "seed-0", "mfr-beta-0.1"), Path.Combine(output, "seed-1", "mfr-beta-0.1"));

        // Then the ground truth and the benchmark's metrics come from the runs' recorded world
        Assert.True(postCode == 0, postError);
        Assert.Contains("Are the stable latents the true features?", postText);
        Assert.Contains("The benchmark's own headline metrics per SAE.", postText);
    }

    [Fact]
    public void TheBenchmarkFlag_ChoosesThePreset_AndFileFlagsReplaceIt()
    {
        var (code, text, error) = Run("consistency", "--benchmark", "synthsaebench-16k", "--print-config");
        Assert.True(code == 0, error);
        var config = System.Text.Json.JsonSerializer.Deserialize<ConsistencyExperimentConfig>(text, Mfr.Training.MetricLog.JsonOptions)!;
        Assert.Equal(768, config.WorldConfig()!.InputDim);

        using var folder = new TemporaryDirectory();
        var (badCode, _, badError) = Run("consistency", "--benchmark", "synthsaebench-1m", "--out", folder.Combine("never"));
        Assert.Equal(2, badCode);
        Assert.Contains("--benchmark must be synthsaebench-scaled or synthsaebench-16k", badError);
        Assert.False(Directory.Exists(folder.Combine("never")));
    }

    [Fact]
    public void Runs_RefusesTheExperimentsFlags()
    {
        var (code, _, error) = Run("consistency", "--runs", "a", "b", "--samples", "10");

        Assert.Equal(2, code);
        Assert.Contains("--samples does not apply to --runs", error);
    }

    [Theory]
    [InlineData("magic", "--variants: unknown variant 'magic'")]
    [InlineData("baseline:0.1", "--variants: 'baseline:0.1' has a beta, but baseline has no penalty to scale.")]
    [InlineData("mfr:-1", "--variants: the beta of 'mfr:-1' must be 'auto' or a non-negative number.")]
    public void ABadVariant_IsAUsageError_InOneLine(string token, string message)
    {
        var (code, _, error) = Run("consistency", "--variants", "baseline", token, "--print-config");

        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void PrintConfig_WritesTheVariantsWithTheirBetas_AndReadsBackThroughConfig()
    {
        // Given the settings of --variants baseline mfr:0.5 mean-max --betas auto printed as a config file
        using var folder = new TemporaryDirectory();
        var (code, text, error) = Run("consistency", "--variants", "baseline", "mfr:0.5", "mean-max", "auxk", "penalty:0.2+auxk", "--betas", "auto", "0.1", "--print-config");
        Assert.True(code == 0, error);
        string file = folder.Combine("consistency.json");
        File.WriteAllText(file, text);

        // When that file is read back
        var config = ConfigFile.Read<ConsistencyExperimentConfig>(file);

        // Then the variants are the ones the flags named
        // (a coupled mode without its own beta runs once per --betas value; +auxk adds the loss at alpha 1/32)
        Assert.Equal(["baseline", "mfr beta=0.5", "mean-max beta=auto", "mean-max beta=0.1", "auxk", "penalty beta=0.2 +auxk"], config.VariantList.Select(v => v.Name));
        Assert.Equal([0, 0, 0, 0, 1.0 / 32, 1.0 / 32], config.VariantList.Select(v => v.AuxKCoefficient));
    }
}

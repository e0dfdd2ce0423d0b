using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>Issue 13, class 2: what was asked and what runs never silently disagree; each case is refused (or applied) in one line.</summary>
public sealed class SilentDisagreementTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    private static readonly string[] TinyTrain = ["--samples", "128", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16", "--k", "2"];

    [Fact]
    public void Resume_WithFlagsThatWouldChangeTheRun_IsRefused_NamingThem()
    {
        // Given a finished run
        using var folder = new TemporaryDirectory();
        Assert.Equal(0, Run(["train", .. TinyTrain, "--out", folder.Combine("run")]).Code);
        string before = File.ReadAllText(folder.Combine("run", "run.json"));

        // When it is resumed with a new learning rate and SAE width
        var (code, _, error) = Run("train", "--resume", folder.Combine("run"), "--lr", "0.5", "--latents", "32");

        // Then both flags are named, nothing ran, and the run is untouched
        Assert.Equal(2, code);
        Assert.Contains("--lr", error);
        Assert.Contains("--latents", error);
        Assert.Contains("--config", error);
        Assert.Equal(before, File.ReadAllText(folder.Combine("run", "run.json")));
    }

    [Fact]
    public void Resume_WithALargerSampleBudget_SaysSo_AndEndsWhereARunStartedWithThatBudgetEnds()
    {
        // Given a finished run of 128 samples, and a run started with 256
        using var folder = new TemporaryDirectory();
        string[] mfr = ["--mode", "mfr", "--warmup", "2", "--count", "2"];
        Assert.Equal(0, Run(["train", .. TinyTrain, .. mfr, "--out", folder.Combine("short")]).Code);
        string[] longer = [.. TinyTrain];
        longer[Array.IndexOf(longer, "--samples") + 1] = "256";
        Assert.Equal(0, Run(["train", .. longer, .. mfr, "--out", folder.Combine("long")]).Code);

        // When the short run is resumed with --samples 256
        var (code, _, error) = Run("train", "--resume", folder.Combine("short"), "--samples", "256");

        // Then it says so, records the new budget, and ends with the long run's weights, bit for bit
        Assert.True(code == 0, error);
        Assert.Contains("extends", error);
        Assert.Equal(256, Mfr.Training.TrainingRun.ReadSpecification(folder.Combine("short")).Training.SampleCount);
        for (int m = 0; m < 2; m++)
            Assert.Equal(File.ReadAllBytes(folder.Combine("long", "final", $"sae-{m}", "sae_weights.safetensors")), File.ReadAllBytes(folder.Combine("short", "final", $"sae-{m}", "sae_weights.safetensors")));
    }

    [Fact]
    public void Resume_WithASmallerSampleBudget_IsRefused()
    {
        using var folder = new TemporaryDirectory();
        Assert.Equal(0, Run(["train", .. TinyTrain, "--out", folder.Combine("run")]).Code);

        var (code, _, error) = Run("train", "--resume", folder.Combine("run"), "--samples", "64");

        Assert.Equal(2, code);
        Assert.Contains("only train longer", error);
        Assert.Equal(128, Mfr.Training.TrainingRun.ReadSpecification(folder.Combine("run")).Training.SampleCount);
    }

    [Fact]
    public void Resume_WithOnlyTheEvaluationFlags_Continues()
    {
        using var folder = new TemporaryDirectory();
        Assert.Equal(0, Run(["train", .. TinyTrain, "--out", folder.Combine("run")]).Code);

        var (code, output, error) = Run("train", "--resume", folder.Combine("run"), "--eval-batches", "2");

        Assert.True(code == 0, error);
        Assert.Contains("sae-1", output);
    }

    [Theory]
    [InlineData("baseline")]
    [InlineData("reinit")]
    public void Beta_WithAModeWithoutPenalty_IsRefused(string mode)
    {
        using var folder = new TemporaryDirectory();

        var (code, _, error) = Run(["train", .. TinyTrain, "--mode", mode, "--beta", "0.5", "--out", folder.Combine("run")]);

        Assert.Equal(2, code);
        Assert.Contains("--beta", error);
        Assert.Contains(mode, error);
        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Fact]
    public void HeldOut_WithSyntheticData_IsRefused()
    {
        using var folder = new TemporaryDirectory();
        Mfr.IO.NpyWriter.Write(folder.Combine("heldout.npy"), [4, 8], new float[32]);

        var (code, _, error) = Run(["train", .. TinyTrain, "--held-out", folder.Combine("heldout.npy"), "--out", folder.Combine("run")]);

        Assert.Equal(2, code);
        Assert.Contains("--held-out", error);
        Assert.Contains("synthetic", error);
    }

    [Fact]
    public void BetaInAConfigFile_WithModeBaseline_IsRefusedToo()
    {
        using var folder = new TemporaryDirectory();
        var node = System.Text.Json.Nodes.JsonNode.Parse(Run(["train", .. TinyTrain, "--print-config"]).Output)!.AsObject();
        node["regularization"]!["beta"] = 0.5;
        File.WriteAllText(folder.Combine("c.json"), node.ToJsonString());

        var (code, _, error) = Run("train", "--config", folder.Combine("c.json"), "--out", folder.Combine("run"));

        Assert.Equal(2, code);
        Assert.Contains("regularization.beta", error);
    }
}

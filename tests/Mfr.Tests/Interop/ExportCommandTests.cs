using Mfr.Checkpoints;
using Mfr.Interop;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Interop;

/// <summary>Issue 15 item 4: `mfr export` writes a run's final SAEs in a library's layout.</summary>
public sealed class ExportCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    private static string TrainTinyRun(TemporaryDirectory folder)
    {
        var (code, _, error) = Run("train", "--samples", "64", "--batch-size", "32", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16", "--k", "2", "--count", "1", "--out", folder.Combine("run"));
        Assert.True(code == 0, error);
        return folder.Combine("run");
    }

    [Fact]
    public void ExportRun_AsSaeLens_WritesEachSaeWithSparsityAndTheActivationCount()
    {
        // Given a trained run (default activation topk, so the export checks it on held-out data)
        using var folder = new TemporaryDirectory();
        string run = TrainTinyRun(folder);

        // When it is exported in SAELens' layout
        var (code, output, error) = Run("export", run, "--format", "saelens", "--out", folder.Combine("out"));

        // Then sae-0 holds SAELens' three files, the line reports the count, and Mfr reads it back as the same SAE
        Assert.True(code == 0, error);
        string exported = folder.Combine("out", "sae-0");
        Assert.True(File.Exists(Path.Combine(exported, SaeLensFormat.WeightsFileName)));
        Assert.True(File.Exists(Path.Combine(exported, SaeLensFormat.SparsityFileName)));
        Assert.Contains($"of {ActivationCheck.CheckedVectors * 2} top-k activations", output);
        using var original = SaeFiles.Load(Path.Combine(run, "final", "sae-0"));
        using var loaded = SaeFiles.Load(exported);
        Assert.Equal(original.Config, loaded.Config);
        Assert.Equal(original.Weights.ToArray(), loaded.Weights.ToArray());
        // and the run's facts about the SAE (seed, steps trained) travel with it
        var final = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(run, "final", "sae-0", "cfg.json")))!["mfr"]!;
        var copy = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(exported, "cfg.json")))!["mfr"]!;
        Assert.Equal(final["seed"]!.GetValue<string>(), copy["seed"]!.GetValue<string>());
        Assert.Equal("2", copy["trained_steps"]!.GetValue<string>());
    }

    [Fact]
    public void ExportOfARunThatHasNotFinished_SaysSo_AndHowToFinishIt()
    {
        // Given a trained run whose final SAEs are not there yet (as after Ctrl+C)
        using var folder = new TemporaryDirectory();
        string run = TrainTinyRun(folder);
        Directory.Delete(Path.Combine(run, "final"), recursive: true);

        // When it is exported
        var (code, _, error) = Run("export", run, "--format", "saelens", "--out", folder.Combine("out"));

        // Then the message is about the run, not "no cfg.json in final/sae-0"
        Assert.Equal(1, code);
        Assert.Contains($"{run} has no final SAEs: the run has not finished. Continue it with mfr train --resume {run}, then export.", error);
        Assert.False(Directory.Exists(folder.Combine("out")));
    }

    [Fact]
    public void ExportBareTopKSaeFolder_IsAUsageErrorWithTheReason()
    {
        // Given a topk SAE folder alone (no run, so no held-out data)
        using var folder = new TemporaryDirectory();
        string run = TrainTinyRun(folder);

        // When it is exported
        var (code, _, error) = Run("export", Path.Combine(run, "final", "sae-0"), "--format", "sparsify", "--out", folder.Combine("out"));

        // Then exit code 2 and the reason, no files
        Assert.Equal(2, code);
        Assert.Contains("ReLU", error);
        Assert.False(File.Exists(folder.Combine("out", SparsifyFormat.WeightsFileName)));
    }
}

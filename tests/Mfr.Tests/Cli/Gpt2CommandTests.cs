using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

public sealed class Gpt2CommandTests
{
    private static string TinyModel => Path.Combine(AppContext.BaseDirectory, "TestData", "Gpt2", "tiny_f32");

    private static string WriteTokens(TemporaryDirectory folder, int count)
    {
        // Token ids below the tiny model's vocabulary of 96, as a .u16.bin file
        var rng = new Mfr.Numerics.Rng(5);
        var bytes = new byte[count * 2];
        for (int i = 0; i < count; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (ushort)rng.NextInt(96));
        string path = folder.Combine("tokens.u16.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void WithoutAModel_SaysWhereToGetIt_AndExitsWithTheUsageErrorCode()
    {
        // Given no --model (and no --config naming one)
        var error = new StringWriter();

        // When
        int code = CliApplication.Run(["gpt2"], new StringWriter(), error);

        // Then: a usage error (exit 2, issue 13 class 2), one line with the advice, no stack trace
        Assert.Equal(2, code);
        Assert.Contains("model.safetensors", error.ToString());
        Assert.Contains("--model", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }

    [Theory]
    [InlineData("tokens")]
    [InlineData("model")]
    public void ABrokenTokenFileOrModel_IsRefused_BeforeTheExperimentsFolderIsMade(string broken)
    {
        // Given a token file of an odd number of bytes, or a model folder without weights
        using var folder = new TemporaryDirectory();
        string tokens = broken == "tokens" ? folder.Combine("odd.u16.bin") : WriteTokens(folder, 300);
        if (broken == "tokens") File.WriteAllBytes(tokens, new byte[7]);
        string model = broken == "model" ? Directory.CreateDirectory(folder.Combine("no-weights")).FullName : TinyModel;
        var error = new StringWriter();

        // When the experiment starts
        int code = CliApplication.Run(["gpt2", "--model", model, "--tokens", tokens, "--out", folder.Combine("gpt2")], new StringWriter(), error);

        // Then it fails with the file's reason and leaves no experiment folder behind
        Assert.Equal(1, code);
        Assert.Contains(broken == "tokens" ? "odd.u16.bin" : "no-weights", error.ToString());
        Assert.False(Directory.Exists(folder.Combine("gpt2")), error.ToString());
    }

    [Theory]
    [InlineData("--layer 7", "The block (--layer) must be in 0..1")]
    [InlineData("--context 500", "The context length (--context) must be in [1, 160]")]
    [InlineData("--held-out-tokens 99999999", "too few for 99,999,999 held-out tokens")]
    public void ASettingTheModelOrTokensCannotMeet_IsRefused_BeforeTheExperimentsFolderIsMade(string setting, string expected)
    {
        // Given the tiny model (2 blocks, context 160) and 300 tokens
        using var folder = new TemporaryDirectory();
        string tokens = WriteTokens(folder, 300);
        var error = new StringWriter();

        // When the experiment is asked for a block, a context or a held-out part they do not have
        string[] context = setting.StartsWith("--context", StringComparison.Ordinal) ? [] : ["--context", "64"];
        int code = CliApplication.Run(["gpt2", "--model", TinyModel, "--tokens", tokens, .. context, .. setting.Split(' '), "--out", folder.Combine("gpt2")], new StringWriter(), error);

        // Then a usage error before anything is made

        Assert.Equal(2, code);
        Assert.Contains(expected, error.ToString());
        Assert.False(Directory.Exists(folder.Combine("gpt2")), error.ToString());
    }

    [Fact]
    public void Activations_WithAContextPastTheModels_NameTheLengthAskedFor_AndWriteNothing()
    {
        // Given a budget of 200 tokens (a window would be cut to 200) and a context of 100,000 on a model of 160
        using var folder = new TemporaryDirectory();
        string tokens = WriteTokens(folder, 300);
        var error = new StringWriter();

        int code = CliApplication.Run(["gpt2", "activations", "--model", TinyModel, "--tokens", tokens, "--context", "100000", "--token-budget", "200",
            "--out", folder.Combine("acts.npy")], new StringWriter(), error);

        // Then the refusal gives the 100,000 asked for (not the window's 200), and no activation file is started
        Assert.Equal(2, code);
        Assert.Contains("must be in [1, 160], the model's context length; got 100000.", error.ToString());
        Assert.False(File.Exists(folder.Combine("acts.npy")));
    }

    [Fact]
    public void LossRecovered_WithAJsonPathItCannotWrite_IsRefusedBeforeMeasuring()
    {
        // Given --json in a folder that does not exist
        using var folder = new TemporaryDirectory();
        string tokens = WriteTokens(folder, 300);
        var output = new StringWriter();
        var error = new StringWriter();

        // When loss recovered is asked for
        int code = CliApplication.Run(["gpt2", "loss-recovered", "--model", TinyModel, "--tokens", tokens, "--context", "64", "--token-budget", "256",
            "--sae", folder.Combine("no-sae-needed"), "--json", folder.Combine("missing", "result.json")], output, error);

        // Then it stops at once, naming the folder, without measuring (no table) or loading anything
        Assert.Equal(1, code);
        Assert.Contains("does not exist", error.ToString());
        Assert.Contains(folder.Combine("missing"), error.ToString());
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void Experiment_OnATinyModel_RunsActivationsSweepAndLossRecovered()
    {
        using var folder = new TemporaryDirectory();
        string tokens = WriteTokens(folder, 1200);
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CliApplication.Run(["gpt2", "--model", TinyModel, "--tokens", tokens, "--context", "64", "--samples", "800", "--held-out-tokens", "256",
            "--latents", "16", "--k", "2", "4", "--batch-size", "100", "--warmup", "2", "--out", folder.Combine("gpt2")], output, error);

        Assert.True(code == 0, error.ToString());
        string text = output.ToString();
        Assert.Contains("Loss recovered, baseline", text);
        Assert.Contains("Loss recovered, mfr", text);
        // results.json is the GPT-2 kind, and its report shows the sweep inside it
        Assert.IsType<Mfr.Experiments.Gpt2ExperimentResult>(Mfr.Experiments.ExperimentFolder.ReadResults(folder.Combine("gpt2")));
        Assert.Equal(0, CliApplication.Run(["report", folder.Combine("gpt2")], new StringWriter(), error));
        Assert.Contains("k sweep: baseline vs MFR", File.ReadAllText(folder.Combine("gpt2", "report.html")));
        // The activation file holds the block-0 MLP output: [train tokens, n_embd]
        using var activations = Mfr.IO.NpyFile.Open(folder.Combine("gpt2", "data", "train.npy"));
        Assert.Equal(800, activations.RowCount);
    }

    [Fact]
    public void Experiment_WithFewerTokensThanSamples_TrainsInEpochsOverTheActivations_AndHoldsOutTheEnd()
    {
        // Given 700 tokens against a budget of 1,500 samples and 200 held-out tokens (the shared OpenWebText
        // sample holds 1.2 M tokens against the default 2 M)
        using var folder = new TemporaryDirectory();
        string tokens = WriteTokens(folder, 700);
        var output = new StringWriter();
        var error = new StringWriter();

        // When
        int code = CliApplication.Run(["gpt2", "--model", TinyModel, "--tokens", tokens, "--context", "64", "--samples", "1500", "--held-out-tokens", "200",
            "--latents", "16", "--k", "2", "4", "--batch-size", "100", "--warmup", "2", "--out", folder.Combine("gpt2")], output, error);

        // Then: 500 training and 200 held-out activations, the SAEs trained their 1,500 samples, loss recovered ran
        Assert.True(code == 0, error.ToString());
        Assert.Contains("activations of the first 500 for training", error.ToString());
        using (var train = Mfr.IO.NpyFile.Open(folder.Combine("gpt2", "data", "train.npy"))) Assert.Equal(500, train.RowCount);
        using (var heldOut = Mfr.IO.NpyFile.Open(folder.Combine("gpt2", "data", "heldout.npy"))) Assert.Equal(200, heldOut.RowCount);
        Assert.Equal(15, Mfr.Training.TrainingRun.ReadSpecification(folder.Combine("gpt2", "mfr")).Training.StepCount);
        // Held-out windows of 64, 64, 64 and 8 tokens: 63 + 63 + 63 + 7 next-token predictions
        Assert.Contains("Loss recovered, mfr (196 predictions)", output.ToString());
    }

    [Fact]
    public void Experiment_ReadsTheLayerAndHookItIsGiven_AndRefusesToReuseActivationsOfAnother()
    {
        // Given a tiny model and 700 tokens
        using var folder = new TemporaryDirectory();
        string tokens = WriteTokens(folder, 700);
        string[] experiment = ["gpt2", "--model", TinyModel, "--tokens", tokens, "--context", "64", "--samples", "300", "--held-out-tokens", "200",
            "--latents", "16", "--k", "2", "4", "--batch-size", "100", "--warmup", "2", "--out", folder.Combine("gpt2")];
        var error = new StringWriter();

        // When the experiment reads the attention output, and the same hook is extracted on its own
        int code = CliApplication.Run([.. experiment, "--hook", "attn_out"], new StringWriter(), error);
        int alone = CliApplication.Run(["gpt2", "activations", "--model", TinyModel, "--tokens", tokens, "--context", "64", "--token-budget", "300", "--hook", "attn_out",
            "--out", folder.Combine("attn.npy")], new StringWriter(), new StringWriter());

        // Then its training activations are those of the attention output, and its manifest says so
        Assert.True(code == 0, error.ToString());
        Assert.Equal(0, alone);
        Assert.Equal(File.ReadAllBytes(folder.Combine("attn.npy")), File.ReadAllBytes(folder.Combine("gpt2", "data", "train.npy")));
        Assert.Contains("\"hook\": \"attention-output\"", File.ReadAllText(folder.Combine("gpt2", "data", "train.npy.json")));
        // and its runs' final SAEs (SAELens layout) name that hook as TransformerLens does, with the model and context run
        var finals = Directory.GetFiles(folder.Combine("gpt2"), "cfg.json", SearchOption.AllDirectories).Where(path => path.Contains($"{Path.DirectorySeparatorChar}final{Path.DirectorySeparatorChar}")).ToList();
        Assert.NotEmpty(finals);
        Assert.All(finals, path =>
        {
            var metadata = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!["metadata"]!;
            Assert.Equal("blocks.0.hook_attn_out", metadata["hook_name"]!.GetValue<string>());
            Assert.Equal("gpt2", metadata["model_name"]!.GetValue<string>());
            Assert.Equal(64, metadata["context_size"]!.GetValue<int>());
        });

        // And a re-run into the same folder with the default hook is refused rather than trained on the old activations
        var refusal = new StringWriter();
        Assert.Equal(2, CliApplication.Run(experiment, new StringWriter(), refusal));
        Assert.Contains("Choose another --out", refusal.ToString());
    }

    [Fact]
    public void LossRecovered_OfAPerfectSplice_IsOne_AndOfZeroAblationIsZero()
    {
        // An SAE with h = k = d and W = I reconstructs exactly: spliced CE = clean CE, recovered = 1
        using var folder = new TemporaryDirectory();
        string tokens = WriteTokens(folder, 300);
        using var weights = Mfr.Gpt2.Gpt2Weights.Load(TinyModel);
        var model = new Mfr.Gpt2.Gpt2Model(weights);
        int d = model.Config.EmbeddingDim;
        using var identity = new Mfr.Sae.TopKSae(new Mfr.Sae.SaeConfig(d, d, d));
        for (int j = 0; j < d; j++) identity.Weights[j * d + j] = 1f;
        identity.RefreshDecoder();
        using var zero = new Mfr.Sae.TopKSae(new Mfr.Sae.SaeConfig(d, 4, 1));
        zero.RefreshDecoder();
        var file = Mfr.Gpt2.TokenFile.Open(tokens);

        var result = Mfr.Gpt2.LossRecovered.Measure(model, file.Tokens, 0, 256, 64, [identity, zero]);

        Assert.Equal(result.CleanCrossEntropy, result.SplicedCrossEntropy[0], 4);
        Assert.Equal(1.0, result.Fraction[0], 3);
        Assert.Equal(result.ZeroAblatedCrossEntropy, result.SplicedCrossEntropy[1], 4);
        Assert.Equal(0.0, result.Fraction[1], 3);
    }

    [Fact]
    public void LossRecovered_AtABlockTheModelDoesNotHave_IsRefused_NotMeasuredAsNoChange()
    {
        // Given the tiny model (2 blocks) and an SAE of its width
        using var folder = new TemporaryDirectory();
        var file = Mfr.Gpt2.TokenFile.Open(WriteTokens(folder, 300));
        using var weights = Mfr.Gpt2.Gpt2Weights.Load(TinyModel);
        var model = new Mfr.Gpt2.Gpt2Model(weights);
        using var sae = new Mfr.Sae.TopKSae(new Mfr.Sae.SaeConfig(model.Config.EmbeddingDim, 4, 1));

        // When loss recovered is asked at block 5: its hook would never be reached, so every CE would be the clean one
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Mfr.Gpt2.LossRecovered.Measure(model, file.Tokens, 0, 256, 64, [sae], layer: 5));

        // Then it is refused, naming the flag and the model's blocks
        Assert.StartsWith($"The block (--layer) must be in 0..{model.Config.LayerCount - 1}, the model's blocks; got 5.", error.Message);
    }
}

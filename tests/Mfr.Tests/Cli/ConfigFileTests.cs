using System.Text.Json;
using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

public sealed class ConfigFileTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    private static readonly string[] TinyTrain = ["--samples", "128", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16", "--k", "2"];

    [Theory]
    [InlineData("train")]
    [InlineData("synthetic")]
    [InlineData("sweep")]
    [InlineData("eeg")]
    [InlineData("gpt2")]
    [InlineData("eval")]
    [InlineData("bench")]
    public void PrintConfig_WritesJsonThat_ConfigReadsBack_ToTheSameSettings(string command)
    {
        // Given the defaults a command prints
        using var folder = new TemporaryDirectory();
        var (code, printed, error) = Run(command, "--print-config");
        Assert.True(code == 0, error);
        File.WriteAllText(folder.Combine("config.json"), printed);

        // When that file is the config
        var (again, reprinted, againError) = Run(command, "--config", folder.Combine("config.json"), "--print-config");

        // Then it is accepted as it is and describes the same settings
        Assert.True(again == 0, againError);
        Assert.Equal(printed, reprinted);
    }

    [Fact]
    public void Train_FlagsOverrideTheFile_AndTheFileFillsTheRest()
    {
        // Given a config file with a tiny shape
        using var folder = new TemporaryDirectory();
        var (_, printed, _) = Run(["train", .. TinyTrain, "--print-config"]);
        File.WriteAllText(folder.Combine("tiny.json"), printed);

        // When trained from it with another learning rate
        var (code, _, error) = Run("train", "--config", folder.Combine("tiny.json"), "--lr", "0.02", "--out", folder.Combine("run"));

        // Then the run has the file's shape and the flag's learning rate
        Assert.True(code == 0, error);
        var run = Mfr.Training.TrainingRun.ReadSpecification(folder.Combine("run"));
        Assert.Equal(0.02f, run.Training.LearningRate);
        Assert.Equal((128L, 64), (run.Training.SampleCount, run.Training.BatchSize));
        Assert.All(run.Saes, sae => Assert.Equal((8, 16, 2), (sae.InputDim, sae.LatentCount, sae.K)));
    }

    [Fact]
    public void Train_KFlagOverAFile_KeepsTheFilesWidthAndSaesPerK()
    {
        // Given a file of two SAEs (h 16, k 2)
        using var folder = new TemporaryDirectory();
        File.WriteAllText(folder.Combine("tiny.json"), Run(["train", .. TinyTrain, "--print-config"]).Output);

        // When --k names two other values
        var (code, printed, error) = Run("train", "--config", folder.Combine("tiny.json"), "--k", "3", "4", "--print-config");

        // Then two SAEs per k, each with the file's d and h
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(printed);
        var saes = json.RootElement.GetProperty("saes").EnumerateArray().Select(s => (s.GetProperty("inputDim").GetInt32(), s.GetProperty("latentCount").GetInt32(), s.GetProperty("k").GetInt32()));
        Assert.Equal([(8, 16, 3), (8, 16, 3), (8, 16, 4), (8, 16, 4)], saes);
    }

    [Fact]
    public void Train_ARunsRunJson_IsAValidConfig_ForTrainingItAgain()
    {
        using var folder = new TemporaryDirectory();
        Assert.Equal(0, Run(["train", .. TinyTrain, "--mode", "mfr", "--warmup", "2", "--out", folder.Combine("first")]).Code);

        var (code, _, error) = Run("train", "--config", folder.Combine("first", "run.json"), "--out", folder.Combine("second"));

        Assert.True(code == 0, error);
        Assert.Equal(File.ReadAllText(folder.Combine("first", "run.json")), File.ReadAllText(folder.Combine("second", "run.json")));
        Assert.Equal(File.ReadAllBytes(folder.Combine("first", "final", "sae-1", "sae_weights.safetensors")), File.ReadAllBytes(folder.Combine("second", "final", "sae-1", "sae_weights.safetensors")));
    }

    [Theory]
    [InlineData("trainig", "unknown key 'trainig'")]
    [InlineData("training.sampleCont", "unknown key 'training.sampleCont'")]
    public void UnknownKeys_AreRefused_InOneLineNamingTheFileAndTheKey(string key, string expected)
    {
        // Given a valid config with one misspelt key added
        using var folder = new TemporaryDirectory();
        var node = System.Text.Json.Nodes.JsonNode.Parse(Run(["train", .. TinyTrain, "--print-config"]).Output)!.AsObject();
        if (key.Contains('.', StringComparison.Ordinal)) node["training"]!.AsObject()[key.Split('.')[1]] = 5;
        else node[key] = new System.Text.Json.Nodes.JsonObject();
        File.WriteAllText(folder.Combine("typo.json"), node.ToJsonString());

        // When
        var (code, _, error) = Run("train", "--config", folder.Combine("typo.json"), "--out", folder.Combine("run"));

        // Then
        Assert.Equal(2, code);
        Assert.Contains(folder.Combine("typo.json"), error);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Theory]
    [InlineData("{\"training\": {\"batchSize\": \"big\"}}", "field 'training.batchSize', line 1: value of the wrong type, expected an integer")]
    [InlineData("{\"training\": {\"optimizer\": \"sgd\"}}", "field 'training.optimizer'")]
    [InlineData("[1]", "the top-level value is not an object")]
    [InlineData("not json", "line 1:")]
    [InlineData("   ", "is empty")]
    public void AValueOfTheWrongKind_OrAFileThatIsNotJson_IsAUsageError_AsAnyBadSetting(string content, string expected)
    {
        // Given a config file whose content is wrong in kind rather than in range (README: a bad setting in a --config file is exit 2)
        using var folder = new TemporaryDirectory();
        File.WriteAllText(folder.Combine("bad.json"), content);

        // When
        var (code, _, error) = Run("train", "--config", folder.Combine("bad.json"), "--out", folder.Combine("run"));

        // Then a usage error in one line naming the file, as a value out of range (e.g. k 0) already was
        Assert.Equal(2, code);
        Assert.Contains(folder.Combine("bad.json"), error);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Fact]
    public void MissingRequiredSections_AreRefused_InOneLine_NoStackTrace()
    {
        // Given a config with data but without saes and training (issue 13, class 6)
        using var folder = new TemporaryDirectory();
        File.WriteAllText(folder.Combine("partial.json"), "{\"data\": {\"kind\": \"synthetic\"}}");

        // When
        var (code, _, error) = Run("train", "--config", folder.Combine("partial.json"));

        // Then
        Assert.Equal(2, code);
        Assert.Contains(folder.Combine("partial.json"), error);
        Assert.Contains("missing required key", error);
        Assert.Contains("'saes'", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Synthetic_ConfigFile_AndAFlag()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(folder.Combine("s.json"), Run("synthetic", "--latents", "64", "--beta", "auto", "0.5", "--print-config").Output);

        var (code, printed, error) = Run("synthetic", "--config", folder.Combine("s.json"), "--k", "4", "--print-config");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(printed);
        Assert.Equal(64, json.RootElement.GetProperty("latentCount").GetInt32());
        Assert.Equal(4, json.RootElement.GetProperty("k").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("betas").GetArrayLength());
    }

    [Theory]
    [InlineData("sweep", "--data")]
    [InlineData("eval", "--sae")]
    public void Tensor_IsASetting_ThatTheConfigFileKeeps(string command, string required)
    {
        // Given --tensor (issue 13: a .safetensors file holding several tensors) written into a config file
        using var folder = new TemporaryDirectory();
        var (code, printed, error) = Run(command, required, folder.Combine("acts.safetensors"), "--tensor", "acts", "--print-config");
        Assert.True(code == 0, error);
        File.WriteAllText(folder.Combine("c.json"), printed);

        // When the file is the config and --tensor is not given
        var (again, reprinted, againError) = Run(command, "--config", folder.Combine("c.json"), "--print-config");

        // Then the tensor is the file's
        Assert.True(again == 0, againError);
        using var json = JsonDocument.Parse(reprinted);
        var holder = command == "sweep" ? json.RootElement.GetProperty("data") : json.RootElement;
        Assert.Equal("acts", holder.GetProperty("tensorName").GetString());
    }
}

public sealed class EegAndGpt2FlagTests
{
    private static JsonElement Printed(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run([.. args, "--print-config"], output, error);
        Assert.True(code == 0, error.ToString());
        return JsonDocument.Parse(output.ToString()).RootElement.Clone();
    }

    [Theory]
    [InlineData(null, 250)]
    [InlineData("500", 500)]
    [InlineData("none", null)]
    [InlineData("0", null)]
    public void EegTargetRate_DefaultsTo250_AndNoneOrZeroKeepsTheFilesRate(string? flag, int? expected)
    {
        var config = flag is null ? Printed("eeg") : Printed("eeg", "--target-rate", flag);

        var rate = config.GetProperty("preprocessing").GetProperty("targetSamplingRateHz");
        Assert.Equal(expected, rate.ValueKind == JsonValueKind.Null ? null : rate.GetInt32());
    }

    [Fact]
    public void EegHelp_StatesTheDefaultRate_AndHowToKeepTheFilesRate()
    {
        var output = new StringWriter();
        CliApplication.Run(["eeg", "--help"], output, new StringWriter());

        string help = output.ToString();
        Assert.DoesNotContain("default: keep the files' rate", help);
        Assert.Contains("'none' keeps the files' rate", help);
        Assert.Contains("250", help);
    }

    [Fact]
    public void Gpt2_LayerAndHook_AreFlags_OfTheExperiment()
    {
        var config = Printed("gpt2", "--layer", "1", "--hook", "attn_out");

        Assert.Equal(1, config.GetProperty("layer").GetInt32());
        Assert.Equal("attention-output", config.GetProperty("hook").GetString());
    }
}

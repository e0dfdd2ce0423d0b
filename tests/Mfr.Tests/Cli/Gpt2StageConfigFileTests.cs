using System.Text.Json;
using System.Text.Json.Nodes;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>Issue 12 item 6 for the two stages of `mfr gpt2` run alone: --config FILE / --print-config as every other command.</summary>
public sealed class Gpt2StageConfigFileTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    [Theory]
    [InlineData("activations")]
    [InlineData("loss-recovered")]
    public void PrintConfig_WritesJsonThat_ConfigReadsBack_ToTheSameSettings(string stage)
    {
        // Given the defaults the stage prints (no --model, --tokens: printing needs neither)
        using var folder = new TemporaryDirectory();
        var (code, printed, error) = Run("gpt2", stage, "--print-config");
        Assert.True(code == 0, error);
        File.WriteAllText(folder.Combine("config.json"), printed);

        // When that file is the config
        var (again, reprinted, againError) = Run("gpt2", stage, "--config", folder.Combine("config.json"), "--print-config");

        // Then it is accepted as it is and describes the same settings, the documented defaults among them
        Assert.True(again == 0, againError);
        Assert.Equal(printed, reprinted);
        using var json = JsonDocument.Parse(printed);
        Assert.Equal((0, "mlp-output", 1024), (json.RootElement.GetProperty("layer").GetInt32(), json.RootElement.GetProperty("hook").GetString(), json.RootElement.GetProperty("contextLength").GetInt32()));
        Assert.Equal(stage == "activations" ? 100_000 : 20_480, json.RootElement.GetProperty("tokenBudget").GetInt64());
    }

    [Theory]
    [InlineData("activations")]
    [InlineData("loss-recovered")]
    public void UnknownKeys_AreRefused_InOneLineNamingTheFileAndTheKey(string stage)
    {
        // Given a valid config with one misspelt key added
        using var folder = new TemporaryDirectory();
        var node = JsonNode.Parse(Run("gpt2", stage, "--print-config").Output)!.AsObject();
        node["tokenBudjet"] = 5;
        File.WriteAllText(folder.Combine("typo.json"), node.ToJsonString());

        // When
        var (code, _, error) = Run("gpt2", stage, "--config", folder.Combine("typo.json"));

        // Then
        Assert.Equal(2, code);
        Assert.Contains(folder.Combine("typo.json"), error);
        Assert.Contains("unknown key 'tokenBudjet'", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Activations_FlagsOverrideTheFile_AndTheFileFillsTheRest()
    {
        // Given a file naming tokens, an output, block 1, the attention output and a budget
        using var folder = new TemporaryDirectory();
        var (_, printed, _) = Run("gpt2", "activations", "--tokens", folder.Combine("t.u16.bin"), "--out", folder.Combine("a.npy"), "--layer", "1", "--hook", "attn_out", "--token-budget", "500", "--print-config");
        File.WriteAllText(folder.Combine("c.json"), printed);

        // When another layer and budget are flags
        var (code, reprinted, error) = Run("gpt2", "activations", "--config", folder.Combine("c.json"), "--layer", "2", "--token-budget", "64", "--print-config");

        // Then those are the flags', and the hook, tokens and output the file's
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(reprinted).RootElement;
        Assert.Equal((2, 64L), (json.GetProperty("layer").GetInt32(), json.GetProperty("tokenBudget").GetInt64()));
        Assert.Equal("attention-output", json.GetProperty("hook").GetString());
        Assert.Equal(folder.Combine("t.u16.bin"), json.GetProperty("tokens").GetString());
        Assert.Equal(folder.Combine("a.npy"), json.GetProperty("output").GetString());
    }

    [Fact]
    public void LossRecovered_FlagsOverrideTheFile_AndTheFileFillsTheRest()
    {
        // Given a file naming two SAEs, block 1 and a first token
        using var folder = new TemporaryDirectory();
        var (_, printed, _) = Run("gpt2", "loss-recovered", "--sae", folder.Combine("a"), folder.Combine("b"), "--layer", "1", "--first-token", "300", "--print-config");
        File.WriteAllText(folder.Combine("c.json"), printed);

        // When the first token and the context are flags
        var (code, reprinted, error) = Run("gpt2", "loss-recovered", "--config", folder.Combine("c.json"), "--first-token", "7", "--context", "64", "--print-config");

        // Then those are the flags', and the SAEs and layer the file's
        Assert.True(code == 0, error);
        var json = JsonDocument.Parse(reprinted).RootElement;
        Assert.Equal((7L, 64, 1), (json.GetProperty("firstToken").GetInt64(), json.GetProperty("contextLength").GetInt32(), json.GetProperty("layer").GetInt32()));
        Assert.Equal([folder.Combine("a"), folder.Combine("b")], json.GetProperty("saes").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData("activations")]
    [InlineData("loss-recovered")]
    public void WithoutAModel_TheStageIsRefused_SayingWhereToGetIt(string stage)
    {
        // Given no --model and no model key
        // When
        var (code, _, error) = Run("gpt2", stage, "--tokens", "x.u16.bin");

        // Then a usage error naming the flag
        Assert.Equal(2, code);
        Assert.Contains("--model DIR is required", error);
    }
}

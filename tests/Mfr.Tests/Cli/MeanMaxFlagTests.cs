using System.Text.Json;
using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>--mode mean-max where the mode applies: its beta is a setting, and the help names it and its linear warm-up.</summary>
public sealed class MeanMaxFlagTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    [Fact]
    public void Train_MeanMaxWithABeta_IsAccepted_AndKeepsTheBeta()
    {
        // Given mean-max, which scales its penalty by beta like MFR
        // When
        var (code, printed, error) = Run("train", "--mode", "mean-max", "--beta", "0.3", "--print-config");

        // Then --beta is not refused as unused
        Assert.True(code == 0, error);
        var mfr = JsonDocument.Parse(printed).RootElement.GetProperty("regularization");
        Assert.Equal(0.3, mfr.GetProperty("beta").GetDouble());
    }

    [Theory]
    [InlineData("train")]
    [InlineData("synthetic")]
    [InlineData("sweep")]
    public void Help_ListsMeanMax_AndDoesNotCallItsWarmupCosine(string command)
    {
        var output = new StringWriter();
        CliApplication.Run([command, "--help"], output, new StringWriter());

        string help = output.ToString();
        Assert.Contains("mean-max", help);
        Assert.Contains("cosine for MFR, linear for mean-max", help);
    }
}

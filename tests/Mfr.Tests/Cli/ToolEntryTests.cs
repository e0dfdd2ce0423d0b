using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>How the installed tool greets a user (issue 15 item 9): `mfr` alone shows the commands, and
/// both ways of asking for the version agree.</summary>
public sealed class ToolEntryTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    [Fact]
    public void NoArguments_PrintsTheHelpListingTheCommands_AndExits0()
    {
        // Given no arguments at all
        // When mfr runs
        var (code, output, error) = Run();

        // Then it prints the root help with its commands on stdout, no error, exit code 0
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Contains("Commands:", output);
        Assert.Contains("train", output);
        Assert.Contains("synthetic", output);
        Assert.Contains("version", output);
        Assert.Equal("", error);
    }

    [Fact]
    public void NoArguments_PrintsTheSameHelpAsDashDashHelp()
    {
        // Given the two ways of asking for help
        // When both run
        var (_, bare, _) = Run();
        var (helpCode, help, _) = Run("--help");

        // Then they print the same text
        Assert.Equal(0, helpCode);
        Assert.Equal(help, bare);
    }

    [Fact]
    public void DashDashVersion_AndVersionCommand_PrintTheSameNonEmptyLine()
    {
        // Given the two ways of asking for the version
        // When both run
        var (optionCode, option, optionError) = Run("--version");
        var (commandCode, command, commandError) = Run("version");

        // Then both succeed and print the same line, which names the tool and the CLI's version
        Assert.Equal(0, optionCode);
        Assert.Equal(0, commandCode);
        Assert.Equal("", optionError + commandError);
        Assert.Equal(command, option);
        string line = option.Trim();
        Assert.StartsWith("mfr ", line);
        string expectedVersion = typeof(CliApplication).Assembly.GetName().Version!.ToString(3);
        Assert.StartsWith($"mfr {expectedVersion}", line);
    }
}

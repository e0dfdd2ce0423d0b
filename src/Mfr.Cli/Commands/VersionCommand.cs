using System.CommandLine;

namespace Mfr.Cli.Commands;

/// <summary>`mfr version`: the tool's version, for reports and bug reports; the same line as `mfr --version`.</summary>
internal static class VersionCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("version", "Print the version of mfr.");
        command.SetAction(_ =>
        {
            output.WriteLine(ToolVersion.Line);
            return 0;
        });
        return command;
    }
}

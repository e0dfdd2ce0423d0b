using System.CommandLine;

namespace Mfr.Cli.Commands;

/// <summary>`mfr version`: the tool's version, for reports and bug reports.</summary>
internal static class VersionCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("version", "Print the version of mfr.");
        command.SetAction(_ =>
        {
            output.WriteLine($"mfr {typeof(Mfr.Numerics.Gemm).Assembly.GetName().Version}");
            return 0;
        });
        return command;
    }
}

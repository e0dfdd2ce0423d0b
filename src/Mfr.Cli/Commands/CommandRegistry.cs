using System.CommandLine;

namespace Mfr.Cli.Commands;

/// <summary>Every `mfr` subcommand; adding one is a new file plus one line here.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> Create(TextWriter output)
    {
        yield return VersionCommand.Create(output);
    }
}

using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Mfr.Cli;

/// <summary>
/// The one version line `mfr --version` and `mfr version` both print (issue 15 item 9), taken from the
/// CLI assembly's informational version (the &lt;Version&gt; in Directory.Build.props, plus the commit the
/// SDK appends) rather than System.CommandLine's default, which reads the entry assembly and so would
/// name the test host under tests.
/// </summary>
internal static class ToolVersion
{
    /// <summary>The line printed, e.g. "mfr 0.1.0+c250186…".</summary>
    public static string Line { get; } = $"mfr {Informational}";

    private static string Informational
        => typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
           ?? typeof(ToolVersion).Assembly.GetName().Version?.ToString()
           ?? "unknown";

    /// <summary>The action given to the root's `--version` option so it prints <see cref="Line"/>.</summary>
    internal sealed class PrintAction(TextWriter output) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            output.WriteLine(Line);
            return 0;
        }
    }
}

using Mfr.Cli;

namespace Mfr.Tests.TestSupport;

/// <summary>Runs the `mfr` command line in-process, as the tool would, capturing what it writes.</summary>
internal static class CliRun
{
    /// <summary>The exit code and everything written to standard output and standard error.</summary>
    public static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

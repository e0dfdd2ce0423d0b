using System.CommandLine;

namespace Mfr.Cli;

/// <summary>
/// The `mfr` command tree. Each subcommand lives in its own file under Commands/ and maps parsed
/// options to one library call, writing to the injected writers (STYLE.md 13). Whatever a user gives,
/// the result is never a stack trace (issue 13, class 6): a bad flag or setting is one line on stderr
/// and exit code 2, bad data, a broken file or a diverged run one line and exit code 1, an interruption
/// exit code 130 (<see cref="ErrorMessages"/>), and anything unexpected one line asking for a report
/// and exit code 1; the stack trace is shown only with MFR_DEBUG=1. `mfr` alone prints the same help as
/// `mfr --help` on stdout and exits 0: it is how a new user discovers the commands, not a mistake
/// (issue 15 item 9). `mfr --version` and `mfr version` print the same line (<see cref="ToolVersion"/>).
/// </summary>
public static class CliApplication
{
    /// <summary>Environment variable that, set to 1, adds the stack trace to every error.</summary>
    public const string DebugVariable = "MFR_DEBUG";

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
        => Run(args, output, error, Commands.CommandRegistry.Create, Environment.GetEnvironmentVariable(DebugVariable) == "1");

    /// <summary>Runs <paramref name="args"/> against the commands <paramref name="commands"/> makes (tests add their own).</summary>
    internal static int Run(string[] args, TextWriter output, TextWriter error, Func<CommandContext, IEnumerable<Command>> commands, bool debug)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl+C: stop at the next step boundary and checkpoint; a second one kills.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });
        bool interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        var commandContext = new CommandContext(output, error, cancellation.Token, interactive);
        var root = new RootCommand("mfr: sparse autoencoders with Mutual Feature Regularization.");
        foreach (var command in commands(commandContext)) root.Subcommands.Add(command);
        // Without an action the root reports "Required command was not provided"; print the help instead.
        root.SetAction(parse => new System.CommandLine.Help.HelpAction().Invoke(parse));
        foreach (var version in root.Options.OfType<VersionOption>()) version.Action = new ToolVersion.PrintAction(output);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            ParseResult parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var parseError in parse.Errors) error.WriteLine($"mfr: error: {ErrorMessages.DescribeParseError(parseError.Message)}");
                error.WriteLine("Run 'mfr --help' for usage.");
                return ErrorMessages.UsageError;
            }
            return parse.Invoke(configuration);
        }
        catch (Exception exception) when (ErrorMessages.IsUserFacing(exception))
        {
            error.WriteLine($"mfr: error: {ErrorMessages.Describe(exception)}");
            if (debug) error.WriteLine(exception);
            return ErrorMessages.ExitCode(exception);
        }
        catch (Exception exception)
        {
            // Last resort: a bug, not the user's doing. One line they can paste into a report; the trace on request.
            error.WriteLine($"mfr: internal error: {exception.GetType().Name}: {ErrorMessages.Describe(exception)} (please report{(debug ? "" : $"; set {DebugVariable}=1 for the stack trace")})");
            if (debug) error.WriteLine(exception);
            return ErrorMessages.RuntimeFailure;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}

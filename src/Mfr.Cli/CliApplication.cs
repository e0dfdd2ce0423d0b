using System.CommandLine;

namespace Mfr.Cli;

/// <summary>
/// The `mfr` command tree. Each subcommand lives in its own file under Commands/ and maps parsed
/// options to one library call, writing to the injected writers (STYLE.md 13). Bad input
/// (an ArgumentException, a missing or corrupt file) becomes one line on stderr and exit code 2,
/// never a stack trace.
/// </summary>
public static class CliApplication
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
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
        foreach (var command in Commands.CommandRegistry.Create(commandContext)) root.Subcommands.Add(command);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            ParseResult parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var parseError in parse.Errors) error.WriteLine($"mfr: {parseError.Message}");
                error.WriteLine("Run 'mfr --help' for usage.");
                return 2;
            }
            return parse.Invoke(configuration);
        }
        catch (Exception exception) when (ErrorMessages.IsUserFacing(exception))
        {
            error.WriteLine($"mfr: error: {ErrorMessages.Describe(exception)}");
            return 2;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}

using System.CommandLine;

namespace Mfr.Cli.Commands;

/// <summary>Every `mfr` subcommand; adding one is a new file plus one line here.</summary>
internal static class CommandRegistry
{
    public static IEnumerable<Command> Create(CommandContext context)
    {
        yield return TrainCommand.Create(context);
        yield return EvalCommand.Create(context);
        yield return ExportCommand.Create(context);
        yield return CompareCommand.Create(context);
        yield return ExportMetricsCommand.Create(context);
        yield return BenchCommand.Create(context);
        yield return SyntheticCommand.Create(context);
        yield return ConsistencyCommand.Create(context);
        yield return SweepCommand.Create(context);
        yield return EegCommand.Create(context);
        yield return ReportCommand.Create(context);
        yield return Gpt2Command.Create(context);
        yield return VersionCommand.Create(context.Output);
        yield return MpiSelfTestCommand.Create(context);
    }
}

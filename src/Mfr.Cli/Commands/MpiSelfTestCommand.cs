using System.CommandLine;
using Mfr.Distributed;

namespace Mfr.Cli.Commands;

/// <summary>
/// `mfr mpi-selftest` (hidden): every collective of the MPI binding on values each rank predicts, run by every rank
/// (issue 17). Under <c>mpirun -np N</c> it tests Open MPI through the binding; alone, the single-process communicator.
/// Exit code 0 when every check passed on every rank, 1 otherwise.
/// </summary>
internal static class MpiSelfTestCommand
{
    public static Command Create(CommandContext context)
    {
        var command = new Command("mpi-selftest", "Check the MPI binding's collectives on every rank (run under mpirun).") { Hidden = true };
        command.SetAction(_ =>
        {
            var world = MpiJob.World;
            DistributedWorker.BeginSelfTest(world);
            var result = MpiSelfTest.Run(world);
            foreach (string failure in result.Failures) context.Error.WriteLine($"mfr mpi-selftest: {failure}");
            string engine = world is MpiCommunicator ? "Open MPI" : "single process";
            context.Output.WriteLine(result.Failures.Count == 0
                ? $"mpi-selftest: {result.RankCount} rank(s) ({engine}), {result.ChecksPerRank} checks each, all passed"
                : $"mpi-selftest: {result.RankCount} rank(s) ({engine}), {result.Failures.Count} check(s) failed");
            return result.Failures.Count == 0 ? 0 : 1;
        });
        return command;
    }
}

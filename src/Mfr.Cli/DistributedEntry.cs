using Mfr.Distributed;

namespace Mfr.Cli;

/// <summary>
/// The process entry under an MPI launcher (issue 17). Without one (no <c>OMPI_COMM_WORLD_SIZE</c> or <c>PMIX_RANK</c>)
/// it is exactly <see cref="CliApplication.Run(string[], TextWriter, TextWriter)"/> and libmpi is never loaded. Under
/// <c>mpirun -np N mfr ...</c> rank 0 runs the command, prints and writes everything, and the other ranks serve it
/// (<see cref="DistributedWorker"/>) and exit with its exit code. A rank that fails ends the whole job with MPI_Abort
/// after one line on stderr naming the rank; rank 0 does the same when it fails while the others are inside a run.
/// </summary>
public static class DistributedEntry
{
    /// <summary>Runs <paramref name="args"/> as this rank of the job (or as the only process); returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (!MpiJob.IsLaunched(Environment.GetEnvironmentVariable)) return CliApplication.Run(args, output, error);
        ICommunicator world;
        try
        {
            world = MpiJob.World;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            error.WriteLine($"mfr: error: {exception.Message} (or set {MpiJob.DisableVariable}=0 to run as one process)");
            return ErrorMessages.RuntimeFailure;
        }
        int exitCode;
        if (world.Rank == 0)
        {
            exitCode = CliApplication.Run(args, output, error);
            DistributedWorker.Release(world, exitCode);
        }
        else
        {
            exitCode = Serve(world, error);
        }
        world.Dispose();
        return exitCode;
    }

    private static void Interrupt(System.Runtime.InteropServices.PosixSignalContext context)
    {
        context.Cancel = true;
        DistributedWorker.Interrupt();
    }

    private static int Serve(ICommunicator world, TextWriter error)
    {
        // Ctrl+C and SIGTERM are rank 0's to act on in a divided run: it checkpoints at the next step boundary, which needs
        // this rank. Whole runs this rank trains alone (a sweep's ensembles) checkpoint and stop by themselves.
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Interrupt);
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Interrupt);
        try
        {
            return DistributedWorker.Serve(world);
        }
        catch (Exception exception)
        {
            error.WriteLine($"mfr: rank {world.Rank} of {world.Size}: error: {ErrorMessages.Describe(exception)}; ending the job");
            if (Environment.GetEnvironmentVariable(CliApplication.DebugVariable) == "1") error.WriteLine(exception);
            error.Flush();
            world.Abort(ErrorMessages.ExitCode(exception));
            return ErrorMessages.RuntimeFailure;
        }
    }
}

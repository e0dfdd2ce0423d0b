using Mfr.Numerics;

namespace Mfr.Distributed;

/// <summary>
/// The process's place in an MPI job (issue 17). <see cref="World"/> is an <see cref="MpiCommunicator"/> only when an
/// MPI launcher started the process (Open MPI's <c>mpirun</c> sets <c>OMPI_COMM_WORLD_SIZE</c>, a PMIx launcher such
/// as <c>srun --mpi=pmix</c> sets <c>PMIX_RANK</c>); otherwise it is a <see cref="SingleProcessCommunicator"/> and libmpi
/// is never loaded, so nothing changes for a normal run. <c>MFR_MPI=0</c> forces the single process.
/// <para>
/// Threads: under a launcher, unless <c>MFR_THREADS</c> says otherwise, each rank takes its share of the node's
/// cores (cores / <c>OMPI_COMM_WORLD_LOCAL_SIZE</c>, at least 1), so N ranks on one node do not each start a thread
/// per core. The kernels' results do not depend on the thread count (fixed reduction chunks), so this changes speed only.
/// </para>
/// </summary>
public static class MpiJob
{
    /// <summary>Environment variable that, set to 0, keeps Mfr single-process even under a launcher.</summary>
    public const string DisableVariable = "MFR_MPI";

    private static readonly Lazy<ICommunicator> world = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The job's communicator, created (and MPI initialised) at first use.</summary>
    public static ICommunicator World => world.Value;

    /// <summary>True when an MPI launcher started this process (see the class summary).</summary>
    public static bool IsLaunched(Func<string, string?> environment) =>
        environment(DisableVariable) != "0" && (environment("OMPI_COMM_WORLD_SIZE") is not null || environment("PMIX_RANK") is not null);

    /// <summary>Threads per rank when <c>MFR_THREADS</c> is unset: the node's cores shared among its ranks.</summary>
    public static int ThreadsPerRank(int processorCount, string? localSize) =>
        int.TryParse(localSize, out int ranks) && ranks > 1 ? Math.Max(1, processorCount / ranks) : processorCount;

    private static ICommunicator Create()
    {
        if (!IsLaunched(Environment.GetEnvironmentVariable)) return new SingleProcessCommunicator();
        if (Environment.GetEnvironmentVariable("MFR_THREADS") is null)
            Parallelism.MaxThreads = ThreadsPerRank(Environment.ProcessorCount, Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_LOCAL_SIZE"));
        return MpiCommunicator.Initialize();
    }
}

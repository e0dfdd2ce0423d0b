namespace Mfr.Distributed;

/// <summary>What rank 0 asks the other ranks of an MPI job to do between runs (<see cref="DistributedWorker"/>).</summary>
public enum WorkerCommand
{
    /// <summary>Exit with the code that follows (rank 0's).</summary>
    Exit = 1,

    /// <summary>Train a share of the run whose specification follows.</summary>
    Train = 2,

    /// <summary>Run <see cref="MpiSelfTest"/>.</summary>
    SelfTest = 3,

    /// <summary>Train this rank's whole runs of the list that follows, then report (<see cref="ParallelRuns"/>).</summary>
    TrainRuns = 4,

    /// <summary>Train every SAE of the run whose specification follows on a slice of each batch (<see cref="DataParallelism"/>).</summary>
    TrainData = 5,
}

namespace Mfr.Distributed;

/// <summary>What rank 0 tells the other ranks of a distributed training run to do next (<see cref="EnsembleDistribution"/>).</summary>
public enum TrainingControl
{
    /// <summary>Train one step.</summary>
    Step = 1,

    /// <summary>Send the parameters of your SAEs to rank 0 (a periodic evaluation follows).</summary>
    GatherParameters = 2,

    /// <summary>Send parameters and optimiser state to rank 0 (a checkpoint follows).</summary>
    GatherState = 3,

    /// <summary>The run is over (finished or interrupted and checkpointed): wait for the next command.</summary>
    Stop = 4,
}

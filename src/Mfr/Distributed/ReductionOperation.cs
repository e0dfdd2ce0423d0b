namespace Mfr.Distributed;

/// <summary>Element-wise reduction of <see cref="ICommunicator.AllReduce(Span{double}, ReductionOperation)"/> (MPI_SUM, MPI_MAX).</summary>
public enum ReductionOperation
{
    /// <summary>Sum over ranks (MPI_SUM; the order of the additions is MPI's, so not bit-reproducible across rank counts).</summary>
    Sum,

    /// <summary>Maximum over ranks (MPI_MAX).</summary>
    Max,
}

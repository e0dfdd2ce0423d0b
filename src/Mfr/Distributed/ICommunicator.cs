namespace Mfr.Distributed;

/// <summary>
/// The few collective operations Mfr needs from MPI (issue 17), over the processes of one job: every
/// process calls each collective in the same order with matching sizes, as MPI requires. Two
/// implementations: <see cref="SingleProcessCommunicator"/> (one process, the default: nothing is loaded)
/// and <see cref="MpiCommunicator"/> (Open MPI's libmpi, when started under <c>mpirun</c> or <c>srun</c>).
/// Buffers move as raw bytes, so any unmanaged element type works; only the reductions are typed.
/// </summary>
public interface ICommunicator : IDisposable
{
    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1; rank 0 writes files and logs.</summary>
    int Rank { get; }

    /// <summary>Processes in the job.</summary>
    int Size { get; }

    /// <summary>Payload bytes this process has sent and received in collectives so far (for the step benchmark).</summary>
    long BytesCommunicated { get; }

    /// <summary>Returns once every process has called it.</summary>
    void Barrier();

    /// <summary>Copies <paramref name="buffer"/> of rank <paramref name="root"/> into the same-sized buffer of every other rank.</summary>
    void Broadcast<T>(Span<T> buffer, int root) where T : unmanaged;

    /// <summary>
    /// Concatenates every rank's <paramref name="send"/> (rank r contributes <paramref name="counts"/>[r] elements) in rank
    /// order into every rank's <paramref name="receive"/>, of length sum(counts).
    /// </summary>
    void AllGatherVariable<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive) where T : unmanaged;

    /// <summary>As <see cref="AllGatherVariable{T}"/>, but only rank <paramref name="root"/> receives (other ranks may pass an empty <paramref name="receive"/>).</summary>
    void GatherVariable<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive, int root) where T : unmanaged;

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise reduction over ranks.</summary>
    void AllReduce(Span<float> values, ReductionOperation operation);

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise reduction over ranks.</summary>
    void AllReduce(Span<double> values, ReductionOperation operation);

    /// <summary>Ends every process of the job with <paramref name="exitCode"/> (MPI_Abort); does not return.</summary>
    void Abort(int exitCode);
}

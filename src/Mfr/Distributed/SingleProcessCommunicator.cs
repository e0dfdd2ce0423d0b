namespace Mfr.Distributed;

/// <summary>
/// The job of one process (rank 0 of 1): every collective is a copy or nothing. Used whenever Mfr is not started
/// by an MPI launcher, so a normal run never loads libmpi.
/// </summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public long BytesCommunicated => 0;

    /// <inheritdoc/>
    public void Barrier()
    {
    }

    /// <inheritdoc/>
    public void Broadcast<T>(Span<T> buffer, int root) where T : unmanaged => CheckRoot(root);

    /// <inheritdoc/>
    public void AllGatherVariable<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive) where T : unmanaged
    {
        CheckCounts(send.Length, counts, receive.Length);
        send.CopyTo(receive);
    }

    /// <inheritdoc/>
    public void GatherVariable<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive, int root) where T : unmanaged
    {
        CheckRoot(root);
        AllGatherVariable(send, counts, receive);
    }

    /// <inheritdoc/>
    public void AllReduce(Span<float> values, ReductionOperation operation)
    {
    }

    /// <inheritdoc/>
    public void AllReduce(Span<double> values, ReductionOperation operation)
    {
    }

    /// <inheritdoc/>
    public void Abort(int exitCode) => Environment.Exit(exitCode);

    /// <summary>Nothing to release.</summary>
    public void Dispose()
    {
    }

    private static void CheckRoot(int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "A single-process job has only rank 0.");
    }

    private static void CheckCounts(int sendCount, ReadOnlySpan<int> counts, int receiveCount)
    {
        if (counts.Length != 1 || counts[0] != sendCount || receiveCount != sendCount)
            throw new ArgumentException($"A single-process gather takes counts [{sendCount}] and a receive buffer of {sendCount}, got counts of length {counts.Length} and a buffer of {receiveCount}.");
    }
}

using System.Runtime.InteropServices;
using Mfr.Distributed;

namespace Mfr.Tests.Distributed;

/// <summary>
/// A job of <see cref="Size"/> ranks inside the test process, one thread per rank: each collective is a rendezvous on a
/// shared barrier, every rank's contribution copied through shared slots. The same contract as <see cref="MpiCommunicator"/>
/// (collectives in the same order on every rank, rank-ordered gathers, reductions in rank order), so the distributed
/// trainer can be tested without Open MPI and in milliseconds; the mpirun tests check the real binding.
/// </summary>
internal sealed class InMemoryJob(int size)
{
    private readonly Barrier barrier = new(size);
    private readonly byte[]?[] slots = new byte[size][];

    public int Size => size;

    /// <summary>Runs <paramref name="body"/> as every rank, each on its own thread; rethrows the first failure.</summary>
    public void Run(Action<ICommunicator> body)
    {
        var failures = new Exception?[size];
        var threads = Enumerable.Range(0, size).Select(rank => new Thread(() =>
        {
            try
            {
                body(new Member(this, rank));
            }
            catch (Exception exception)
            {
                failures[rank] = exception;
                // A rank that fails would leave the others waiting at the next collective: break the barrier for them.
                barrier.RemoveParticipant();
            }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        if (failures.FirstOrDefault(f => f is not null) is { } failure) throw new AggregateException(failure);
    }

    private sealed class Member(InMemoryJob job, int rank) : ICommunicator
    {
        public int Rank => rank;

        public int Size => job.Size;

        public long BytesCommunicated => 0;

        public void Barrier() => job.barrier.SignalAndWait();

        public void Broadcast<T>(Span<T> buffer, int root) where T : unmanaged
        {
            if (rank == root) job.slots[root] = MemoryMarshal.AsBytes(buffer).ToArray();
            Barrier();
            if (rank != root) job.slots[root].AsSpan().CopyTo(MemoryMarshal.AsBytes(buffer));
            Barrier();
        }

        public void AllGatherVariable<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive) where T : unmanaged => Gather(send, counts, receive, everyone: true, root: 0);

        public void GatherVariable<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive, int root) where T : unmanaged => Gather(send, counts, receive, everyone: false, root);

        private void Gather<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive, bool everyone, int root) where T : unmanaged
        {
            if (counts.Length != Size || counts[rank] != send.Length) throw new ArgumentException($"Rank {rank}: counts [{string.Join(", ", counts.ToArray())}] do not match {send.Length} elements sent.");
            job.slots[rank] = MemoryMarshal.AsBytes(send).ToArray();
            Barrier();
            if (everyone || rank == root)
            {
                var target = MemoryMarshal.AsBytes(receive);
                int offset = 0;
                foreach (var slot in job.slots)
                {
                    slot.AsSpan().CopyTo(target[offset..]);
                    offset += slot!.Length;
                }
                if (offset != target.Length) throw new ArgumentException($"Rank {rank}: the gather holds {offset} bytes, the receive buffer {target.Length}.");
            }
            Barrier();
        }

        public void AllReduce(Span<float> values, ReductionOperation operation) => Reduce(values, operation, (a, b) => a + b, Math.Max);

        public void AllReduce(Span<double> values, ReductionOperation operation) => Reduce(values, operation, (a, b) => a + b, Math.Max);

        private void Reduce<T>(Span<T> values, ReductionOperation operation, Func<T, T, T> sum, Func<T, T, T> max) where T : unmanaged
        {
            job.slots[rank] = MemoryMarshal.AsBytes(values).ToArray();
            Barrier();
            var combine = operation == ReductionOperation.Sum ? sum : max;
            var result = MemoryMarshal.Cast<byte, T>(job.slots[0]).ToArray();
            for (int r = 1; r < Size; r++)
            {
                var other = MemoryMarshal.Cast<byte, T>(job.slots[r]);
                for (int i = 0; i < result.Length; i++) result[i] = combine(result[i], other[i]);
            }
            Barrier();
            result.CopyTo(values);
        }

        public void Abort(int exitCode) => throw new InvalidOperationException($"Rank {rank} aborted the job with exit code {exitCode}.");

        public void Dispose()
        {
        }
    }
}

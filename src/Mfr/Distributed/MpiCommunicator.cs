using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mfr.Distributed;

/// <summary>
/// <see cref="ICommunicator"/> over MPI_COMM_WORLD of Open MPI (<see cref="MpiLibrary"/>). Created once per process
/// (MPI allows one MPI_Init); <see cref="Dispose"/> calls MPI_Finalize. Every MPI error is fatal by MPI's default
/// error handler (MPI_ERRORS_ARE_FATAL), so a failed call ends the job; a non-zero return is still checked.
/// Counts are C ints: a buffer over 2^31 - 1 bytes is refused with a message rather than truncated.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    private readonly MpiLibrary library;
    private bool finalized;
    private long bytes;

    private MpiCommunicator(MpiLibrary library, int rank, int size)
    {
        this.library = library;
        Rank = rank;
        Size = size;
    }

    /// <summary>Loads libmpi and calls MPI_Init (unless the process already did).</summary>
    public static MpiCommunicator Initialize()
    {
        var library = MpiLibrary.Load();
        int initialized;
        Check(library.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0) Check(library.Init(null, null), "MPI_Init");
        int rank, size;
        Check(library.CommRank(library.CommWorld, &rank), "MPI_Comm_rank");
        Check(library.CommSize(library.CommWorld, &size), "MPI_Comm_size");
        return new MpiCommunicator(library, rank, size);
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public long BytesCommunicated => bytes;

    /// <inheritdoc/>
    public void Barrier() => Check(library.Barrier(library.CommWorld), "MPI_Barrier");

    /// <inheritdoc/>
    public void Broadcast<T>(Span<T> buffer, int root) where T : unmanaged
    {
        int count = ByteCount<T>(buffer.Length);
        bytes += count;
        fixed (T* pointer = buffer) Check(library.Bcast(pointer, count, library.Byte, root, library.CommWorld), "MPI_Bcast");
    }

    /// <inheritdoc/>
    public void AllGatherVariable<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive) where T : unmanaged
    {
        var (byteCounts, displacements) = Layout<T>(send.Length, counts, receive.Length);
        bytes += ByteCount<T>(send.Length) + ByteCount<T>(receive.Length - send.Length);
        fixed (T* sendPointer = send, receivePointer = receive)
        fixed (int* countPointer = byteCounts, displacementPointer = displacements)
        {
            Check(library.Allgatherv(sendPointer, ByteCount<T>(send.Length), library.Byte, receivePointer, countPointer, displacementPointer, library.Byte, library.CommWorld), "MPI_Allgatherv");
        }
    }

    /// <inheritdoc/>
    public void GatherVariable<T>(ReadOnlySpan<T> send, ReadOnlySpan<int> counts, Span<T> receive, int root) where T : unmanaged
    {
        var (byteCounts, displacements) = Layout<T>(send.Length, counts, Rank == root ? receive.Length : -1);
        bytes += Rank == root ? ByteCount<T>(receive.Length - send.Length) : ByteCount<T>(send.Length);
        fixed (T* sendPointer = send, receivePointer = receive)
        fixed (int* countPointer = byteCounts, displacementPointer = displacements)
        {
            Check(library.Gatherv(sendPointer, ByteCount<T>(send.Length), library.Byte, receivePointer, countPointer, displacementPointer, library.Byte, root, library.CommWorld), "MPI_Gatherv");
        }
    }

    /// <inheritdoc/>
    public void AllReduce(Span<float> values, ReductionOperation operation)
    {
        bytes += 2L * ByteCount<float>(values.Length);
        fixed (float* pointer = values) Check(library.Allreduce(MpiLibrary.InPlace, pointer, values.Length, library.Float, Operation(operation), library.CommWorld), "MPI_Allreduce");
    }

    /// <inheritdoc/>
    public void AllReduce(Span<double> values, ReductionOperation operation)
    {
        bytes += 2L * ByteCount<double>(values.Length);
        fixed (double* pointer = values) Check(library.Allreduce(MpiLibrary.InPlace, pointer, values.Length, library.Double, Operation(operation), library.CommWorld), "MPI_Allreduce");
    }

    /// <inheritdoc/>
    public void Abort(int exitCode)
    {
        library.Abort(library.CommWorld, exitCode);
        // MPI_Abort does not return in Open MPI; if an implementation did, end this process at least.
        Environment.Exit(exitCode);
    }

    /// <summary>MPI_Finalize (once; the library stays loaded, as MPI cannot be initialised again).</summary>
    public void Dispose()
    {
        if (finalized) return;
        finalized = true;
        int done;
        Check(library.Finalized(&done), "MPI_Finalized");
        if (done == 0) Check(library.Finalize(), "MPI_Finalize");
    }

    private nint Operation(ReductionOperation operation) => operation switch
    {
        ReductionOperation.Sum => library.Sum,
        ReductionOperation.Max => library.Max,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "Unknown reduction."),
    };

    /// <summary>Byte counts and displacements of a variable gather from element counts; checks the receive length unless it is -1.</summary>
    private (int[] Counts, int[] Displacements) Layout<T>(int sendCount, ReadOnlySpan<int> counts, int receiveCount) where T : unmanaged
    {
        if (counts.Length != Size || counts[Rank] != sendCount)
            throw new ArgumentException($"A gather over {Size} ranks needs {Size} counts with this rank's ({Rank}) equal to its {sendCount} elements, got [{string.Join(", ", counts.ToArray())}].");
        var byteCounts = new int[counts.Length];
        var displacements = new int[counts.Length];
        long offset = 0;
        for (int r = 0; r < counts.Length; r++)
        {
            byteCounts[r] = ByteCount<T>(counts[r]);
            displacements[r] = ByteCount<T>(offset);
            offset += counts[r];
        }
        if (receiveCount >= 0 && receiveCount != offset)
            throw new ArgumentException($"The gather's counts sum to {offset} elements but the receive buffer holds {receiveCount}.");
        return (byteCounts, displacements);
    }

    private static int ByteCount<T>(long elements) where T : unmanaged
    {
        long count = elements * Unsafe.SizeOf<T>();
        return count <= int.MaxValue ? (int)count
            : throw new ArgumentException($"An MPI message of {count} bytes is over the 2^31 - 1 bytes one call can carry.");
    }

    private static void Check(int errorCode, string function)
    {
        if (errorCode != 0) throw new ExternalException($"{function} failed with MPI error code {errorCode}.", errorCode);
    }
}

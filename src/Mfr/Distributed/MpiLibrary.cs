using System.Runtime.InteropServices;

namespace Mfr.Distributed;

/// <summary>
/// The thin binding to Open MPI's C library (issue 17): only the functions Mfr calls, as unmanaged function
/// pointers, and the predefined handles it passes. MPI.NET 1.4.0 (the NuGet package) binds MS-MPI's
/// <c>msmpi.dll</c> and its integer handles, so it cannot load on Linux; Open MPI's handles are pointers to
/// global objects of libmpi (<c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>, <c>MPI_FLOAT</c> is
/// <c>&amp;ompi_mpi_float</c>, <c>MPI_SUM</c> is <c>&amp;ompi_mpi_op_sum</c>; mpi.h of Open MPI 4 and 5), which
/// <see cref="NativeLibrary.GetExport"/> resolves. The library is opened with <c>RTLD_GLOBAL</c>, as mpi4py
/// does, because Open MPI's plug-ins (mca components) find libmpi's symbols in the global namespace.
/// MPICH and Intel MPI have another ABI (integer handles) and are refused with a message.
/// </summary>
internal sealed unsafe partial class MpiLibrary
{
    /// <summary>Names tried in order: Open MPI 4.x and 5.x both ship libmpi.so.40.</summary>
    private static readonly string[] LibraryNames = ["libmpi.so.40", "libmpi.so"];

    // Open MPI: #define MPI_IN_PLACE ((void *) 1)
    public static readonly void* InPlace = (void*)1;

    private MpiLibrary(nint handle)
    {
        CommWorld = Export(handle, "ompi_mpi_comm_world");
        Byte = Export(handle, "ompi_mpi_byte");
        Float = Export(handle, "ompi_mpi_float");
        Double = Export(handle, "ompi_mpi_double");
        Sum = Export(handle, "ompi_mpi_op_sum");
        Max = Export(handle, "ompi_mpi_op_max");
        Init = (delegate* unmanaged<int*, byte***, int>)Export(handle, "MPI_Init");
        Initialized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)Export(handle, "MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export(handle, "MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export(handle, "MPI_Comm_size");
        Barrier = (delegate* unmanaged<nint, int>)Export(handle, "MPI_Barrier");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Export(handle, "MPI_Bcast");
        Allgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int>)Export(handle, "MPI_Allgatherv");
        Gatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, int>)Export(handle, "MPI_Gatherv");
        Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export(handle, "MPI_Allreduce");
        Abort = (delegate* unmanaged<nint, int, int>)Export(handle, "MPI_Abort");
    }

    /// <summary>MPI_COMM_WORLD.</summary>
    public nint CommWorld { get; }

    /// <summary>MPI_BYTE, MPI_FLOAT, MPI_DOUBLE.</summary>
    public nint Byte { get; }

    /// <inheritdoc cref="Byte"/>
    public nint Float { get; }

    /// <inheritdoc cref="Byte"/>
    public nint Double { get; }

    /// <summary>MPI_SUM, MPI_MAX.</summary>
    public nint Sum { get; }

    /// <inheritdoc cref="Sum"/>
    public nint Max { get; }

    // int MPI_Init(int *argc, char ***argv) and the rest, with their C signatures' argument order.
    public delegate* unmanaged<int*, byte***, int> Init { get; }

    public delegate* unmanaged<int*, int> Initialized { get; }

    public delegate* unmanaged<int*, int> Finalized { get; }

    public delegate* unmanaged<int> Finalize { get; }

    public delegate* unmanaged<nint, int*, int> CommRank { get; }

    public delegate* unmanaged<nint, int*, int> CommSize { get; }

    public delegate* unmanaged<nint, int> Barrier { get; }

    // MPI_Bcast(buffer, count, datatype, root, comm)
    public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

    // MPI_Allgatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, comm)
    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, int> Allgatherv { get; }

    // MPI_Gatherv(sendbuf, sendcount, sendtype, recvbuf, recvcounts, displs, recvtype, root, comm)
    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, int> Gatherv { get; }

    // MPI_Allreduce(sendbuf, recvbuf, count, datatype, op, comm)
    public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }

    // MPI_Abort(comm, errorcode)
    public delegate* unmanaged<nint, int, int> Abort { get; }

    /// <summary>Opens libmpi (globally) and resolves every entry point and handle.</summary>
    /// <exception cref="DllNotFoundException">No Open MPI library is installed (apt-get install openmpi-bin libopenmpi-dev).</exception>
    public static MpiLibrary Load()
    {
        const int RtldNow = 2, RtldGlobal = 0x100;
        foreach (string name in LibraryNames)
        {
            nint handle = DynamicLinker.Open(name, RtldNow | RtldGlobal);
            if (handle == 0) continue;
            if (!NativeLibrary.TryGetExport(handle, "ompi_mpi_comm_world", out _))
                throw new DllNotFoundException($"{name} is not Open MPI (no ompi_mpi_comm_world): Mfr's MPI binding supports Open MPI 4 and 5 only.");
            return new MpiLibrary(handle);
        }
        throw new DllNotFoundException($"Started under an MPI launcher but Open MPI's library ({string.Join(" or ", LibraryNames)}) was not found: install openmpi-bin and libopenmpi-dev.");
    }

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address) ? address : throw new EntryPointNotFoundException($"Open MPI's library has no {name}.");

    /// <summary>dlopen from the C library: <see cref="NativeLibrary.Load(string)"/> cannot ask for RTLD_GLOBAL.</summary>
    private static partial class DynamicLinker
    {
        public static nint Open(string name, int flags) => dlopen(name, flags);

        [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
        private static partial nint dlopen(string fileName, int flags);
    }
}

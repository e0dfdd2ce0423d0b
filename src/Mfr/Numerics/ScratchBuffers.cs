namespace Mfr.Numerics;

/// <summary>
/// Per-thread reusable 64-byte-aligned scratch memory for the kernels (packed GEMM panels, TopK
/// candidates, sparse indices), so steady-state kernel calls allocate nothing (STYLE.md 9). Each
/// thread owns its buffers; a slot only grows. Pointers stay valid until the same thread asks the
/// same slot for more memory.
/// </summary>
internal static unsafe class ScratchBuffers
{
    /// <summary>Slot of the packed A block (any thread running a GEMM part).</summary>
    public const int GemmPackedA = 0;

    /// <summary>Slot of the packed B block (the thread calling GEMM; with column panels, each thread running a panel).</summary>
    public const int GemmPackedB = 1;

    /// <summary>Slot for the inverted index of the sparse scatter (calling thread).</summary>
    public const int SparseIndex = 2;

    /// <summary>Slot for per-part working memory of the sparse and TopK kernels and the synthetic sampler.</summary>
    public const int PartLocal = 3;

    /// <summary>Slot for a synthetic batch's drawn features and coefficients (calling thread).</summary>
    public const int SampleDraws = 4;

    private const int SlotCount = 5;

    [ThreadStatic]
    private static AlignedBuffer?[]? slots;

    /// <summary>At least <paramref name="floatCount"/> floats (4-byte elements) of this thread's slot <paramref name="slot"/>.</summary>
    public static float* Get(int slot, long floatCount)
    {
        var threadSlots = slots ??= new AlignedBuffer?[SlotCount];
        var buffer = threadSlots[slot];
        if (buffer is null || buffer.Length < floatCount)
        {
            buffer?.Dispose();
            // Grow geometrically so a slowly increasing size does not reallocate every call.
            long length = Math.Max(floatCount, buffer is null ? 0 : buffer.Length + buffer.Length / 2);
            buffer = new AlignedBuffer(Math.Max(length, 1024));
            threadSlots[slot] = buffer;
        }
        return buffer.Pointer;
    }
}

using System.Runtime.InteropServices;

namespace Mfr.Numerics;

/// <summary>
/// A float buffer in native memory aligned to 64 bytes (one AVX-512 vector, one cache line), with a
/// single owner (STYLE.md 9). Parameters, gradients and activations are allocated once as these and
/// handed out as spans, so hot loops never allocate and vector loads never split cache lines.
/// </summary>
public sealed unsafe class AlignedBuffer : IDisposable
{
    /// <summary>Alignment in bytes of every buffer.</summary>
    public const int Alignment = 64;

    private float* pointer;

    /// <summary>Allocates <paramref name="length"/> floats, zeroed.</summary>
    public AlignedBuffer(long length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "Length must be non-negative.");
        Length = length;
        nuint bytes = (nuint)Math.Max(1, length) * sizeof(float);
        pointer = (float*)NativeMemory.AlignedAlloc(bytes, Alignment);
        NativeMemory.Clear(pointer, bytes);
        GC.AddMemoryPressure((long)bytes);
    }

    /// <summary>Number of floats.</summary>
    public long Length { get; }

    /// <summary>The whole buffer (must be below 2^31 floats).</summary>
    public Span<float> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(pointer == null, this);
            return new Span<float>(pointer, checked((int)Length));
        }
    }

    /// <summary>Raw pointer for kernels that address more than 2^31 floats; valid until disposed.</summary>
    public float* Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(pointer == null, this);
            return pointer;
        }
    }

    /// <summary>A slice of <paramref name="length"/> floats starting at <paramref name="start"/>.</summary>
    public Span<float> Slice(long start, int length)
    {
        if (start < 0 || length < 0 || start + length > Length)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside the buffer of {Length} floats.");
        return new Span<float>(Pointer + start, length);
    }

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        if (pointer != null)
        {
            NativeMemory.AlignedFree(pointer);
            GC.RemoveMemoryPressure((long)Math.Max(1, Length) * sizeof(float));
            pointer = null;
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the memory if the owner forgot to.</summary>
    ~AlignedBuffer() => Dispose();
}

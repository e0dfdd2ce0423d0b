namespace Mfr.IO;

/// <summary>
/// Writes a float32 array as an .npy file (format 1.0, <c>'&lt;f4'</c>, C order, data aligned to
/// 64 bytes as numpy does), atomically (<see cref="AtomicFile"/>). <c>np.load</c> reads the result.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="data"/> with shape <paramref name="shape"/> to <paramref name="path"/>.</summary>
    /// <param name="path">Target file; its folder must exist; an existing file is replaced atomically.</param>
    /// <param name="shape">Dimensions, outermost first; empty for a 0-d array.</param>
    /// <param name="data">Elements in C order, <c>[product(shape)]</c>.</param>
    /// <exception cref="ArgumentException">A negative dimension, or a shape whose product is not <c>data.Length</c>.</exception>
    public static void Write(string path, IReadOnlyList<long> shape, ReadOnlySpan<float> data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long elements = 1;
        foreach (long dimension in shape)
        {
            if (dimension < 0) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) has a negative dimension.", nameof(shape));
            elements = checked(elements * dimension);
        }
        if (elements != data.Length)
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) has {elements} elements but data has {data.Length}.", nameof(data));
        byte[] header = NpyHeader.Format("<f4", shape);
        using var writer = new AtomicFileWriter(path);
        writer.Stream.Write(header);
        SafetensorsWriter.WriteFloats(writer.Stream, data);
        writer.Commit();
    }
}

namespace Mfr.IO;

/// <summary>
/// One tensor's entry in a safetensors header.
/// </summary>
/// <param name="Name">Tensor name (the header key).</param>
/// <param name="DType">Element type exactly as the file spells it (<c>"F32"</c>, <c>"BF16"</c>, <c>"U8"</c>, ...).</param>
/// <param name="Shape">Dimensions, outermost first (C order); empty for a scalar.</param>
/// <param name="DataStart">First byte of the tensor, relative to the start of the data section.</param>
/// <param name="DataEnd">One past the last byte, relative to the start of the data section.</param>
public sealed record TensorInfo(string Name, string DType, IReadOnlyList<long> Shape, long DataStart, long DataEnd)
{
    /// <summary>Number of elements: the product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dimension in Shape) count *= dimension;
            return count;
        }
    }

    /// <summary>Bytes the tensor occupies: <c>DataEnd - DataStart</c>.</summary>
    public long ByteCount => DataEnd - DataStart;

    /// <summary>The element type when Mfr can read it as float32, otherwise null.</summary>
    public TensorDType? ReadableType => DTypes.TryParseSafetensors(DType, out TensorDType type) ? type : null;
}

namespace Mfr.IO;

/// <summary>
/// A C-order array inside a <see cref="MappedFile"/>, viewed as <c>[RowCount, RowLength]</c>: an npy
/// file's data or one safetensors tensor. Reads convert to float32 in blocks, so a read of any size
/// needs no temporary buffer. Does not own the file.
/// </summary>
internal sealed class MappedArray
{
    /// <summary>Elements converted per block (keeps each source span far below 2 GB).</summary>
    private const int BlockElements = 1 << 20;

    private readonly MappedFile file;
    private readonly long dataOffset;
    private readonly int elementSize;

    /// <param name="file">The mapped file.</param>
    /// <param name="dataOffset">Absolute file offset of element 0.</param>
    /// <param name="type">Element type.</param>
    /// <param name="rowCount">Rows (the first dimension).</param>
    /// <param name="rowLength">Elements per row (the product of the other dimensions).</param>
    /// <param name="name">What to call the array in messages (the file, or "tensor 'x' in FILE").</param>
    public MappedArray(MappedFile file, long dataOffset, TensorDType type, long rowCount, long rowLength, string name)
    {
        this.file = file;
        this.dataOffset = dataOffset;
        Type = type;
        elementSize = DTypes.SizeOf(type);
        RowCount = rowCount;
        RowLength = rowLength;
        Name = name;
    }

    /// <summary>Element type in the file.</summary>
    public TensorDType Type { get; }

    /// <summary>Number of rows.</summary>
    public long RowCount { get; }

    /// <summary>Elements per row.</summary>
    public long RowLength { get; }

    /// <summary>Elements in the whole array.</summary>
    public long ElementCount => RowCount * RowLength;

    /// <summary>Description for messages.</summary>
    public string Name { get; }

    /// <summary>Reads elements [first, first + destination.Length) as float32.</summary>
    /// <param name="firstElement">Index of the first element to read.</param>
    /// <param name="destination">Output, <c>[count]</c>.</param>
    public void ReadElements(long firstElement, Span<float> destination)
    {
        if (firstElement < 0 || firstElement > ElementCount - destination.Length)
            throw new ArgumentOutOfRangeException(nameof(firstElement), $"Elements [{firstElement}, {firstElement + destination.Length}) are outside {Name} of {ElementCount} elements.");
        for (int done = 0; done < destination.Length; done += BlockElements)
        {
            int count = Math.Min(BlockElements, destination.Length - done);
            ReadOnlySpan<byte> source = file.Bytes(dataOffset + (firstElement + done) * elementSize, count * elementSize);
            ElementConversion.ToSingle(source, Type, destination.Slice(done, count));
        }
    }

    /// <summary>Reads rows [firstRow, firstRow + rowCount) as float32.</summary>
    /// <param name="firstRow">First row, 0 &lt;= firstRow &lt;= RowCount - rowCount.</param>
    /// <param name="rowCount">Rows to read.</param>
    /// <param name="destination">Output, <c>[rowCount, RowLength]</c>.</param>
    public void ReadRows(long firstRow, int rowCount, Span<float> destination)
    {
        if (rowCount < 0 || firstRow < 0 || firstRow > RowCount - rowCount)
            throw new ArgumentOutOfRangeException(nameof(firstRow), $"Rows [{firstRow}, {firstRow + rowCount}) are outside {Name} of {RowCount} rows.");
        if (destination.Length != rowCount * RowLength)
            throw new ArgumentException($"Destination has {destination.Length} floats, expected [{rowCount}, {RowLength}] = {rowCount * RowLength}.", nameof(destination));
        ReadElements(firstRow * RowLength, destination);
    }
}

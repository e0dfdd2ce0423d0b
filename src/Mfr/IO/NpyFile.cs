namespace Mfr.IO;

/// <summary>
/// A read-only, memory-mapped .npy file (format versions 1.0, 2.0 and 3.0) of little-endian
/// <c>&lt;f4</c>, <c>&lt;f2</c>, <c>&lt;f8</c>, <c>&lt;i4</c> or <c>&lt;i8</c> elements in C order, read as
/// float32 rows. The array is viewed as <c>[RowCount, RowLength]</c>: <c>shape[0]</c> rows of the
/// product of the remaining dimensions; a 1-D array of n values is <c>[n, 1]</c> (n rows of one
/// value), a 0-d array <c>[1, 1]</c>. Fortran-order, big-endian and structured arrays are refused
/// with an <see cref="InvalidDataException"/>, as is a file whose data size does not match its
/// shape. Reads from several threads are safe.
/// </summary>
public sealed class NpyFile : IDisposable
{
    private readonly MappedFile? file;

    private NpyFile(string path, MappedFile? file, NpyHeader header, MappedArray? array, TensorDType type)
    {
        Path = path;
        this.file = file;
        Shape = header.Shape;
        DType = header.Descr;
        ElementType = type;
        RowCount = header.Shape.Count == 0 ? 1 : header.Shape[0];
        long rowLength = 1;
        for (int i = 1; i < header.Shape.Count; i++) rowLength *= header.Shape[i];
        RowLength = (int)rowLength;
        MappedData = array;
    }

    /// <summary>Opens, validates and memory-maps an .npy file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a readable .npy file; the message says why.</exception>
    public static NpyFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Npy file '{path}' does not exist.", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            NpyHeader header = NpyHeader.Read(path, stream);
            TensorDType type = CheckHeader(path, header, stream.Length);
            long rowCount = header.Shape.Count == 0 ? 1 : header.Shape[0];
            long rowLength = 1;
            for (int i = 1; i < header.Shape.Count; i++) rowLength *= header.Shape[i];
            if (stream.Length == header.DataStart)
            {
                // An empty array: nothing to map (mapping a range of zero bytes is not allowed).
                stream.Dispose();
                return new NpyFile(path, null, header, null, type);
            }
            MappedFile mapped = MappedFile.Map(path, stream);
            var array = new MappedArray(mapped, header.DataStart, type, rowCount, rowLength, $"'{path}'");
            return new NpyFile(path, mapped, header, array, type);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static TensorDType CheckHeader(string path, NpyHeader header, long fileLength)
    {
        if (header.FortranOrder)
            throw new InvalidDataException($"'{path}' is stored in Fortran (column-major) order; only C order is supported (save it with np.save(path, np.ascontiguousarray(a))).");
        if (!DTypes.TryParseNpy(header.Descr, out TensorDType type))
            throw new InvalidDataException($"'{path}' has dtype '{header.Descr}'; supported: '<f4', '<f2', '<f8', '<i4', '<i8' (little-endian).");
        long expectedBytes = DTypes.SizeOf(type);
        long rowLength = 1;
        try
        {
            foreach (long dimension in header.Shape) expectedBytes = checked(expectedBytes * dimension);
            for (int i = 1; i < header.Shape.Count; i++) rowLength = checked(rowLength * header.Shape[i]);
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"'{path}' has shape ({string.Join(", ", header.Shape)}) whose size overflows.");
        }
        if (rowLength > Array.MaxLength)
            throw new InvalidDataException($"'{path}' has rows of {rowLength} elements (shape ({string.Join(", ", header.Shape)})); at most {Array.MaxLength} are supported.");
        long actualBytes = fileLength - header.DataStart;
        if (actualBytes < expectedBytes)
            throw new InvalidDataException($"'{path}' is truncated: shape ({string.Join(", ", header.Shape)}) of '{header.Descr}' needs {expectedBytes} data bytes but the file has {actualBytes}.");
        if (actualBytes > expectedBytes)
            throw new InvalidDataException($"'{path}' has {actualBytes - expectedBytes} bytes after the data of its shape ({string.Join(", ", header.Shape)}) of '{header.Descr}'; header and data disagree.");
        return type;
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>The array's dimensions as stored (empty for a 0-d array).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The numpy dtype descriptor as stored, e.g. <c>&lt;f4</c>.</summary>
    public string DType { get; }

    /// <summary>The element type in the file.</summary>
    public TensorDType ElementType { get; }

    /// <summary>Rows: <c>shape[0]</c> (1 for a 0-d array).</summary>
    public long RowCount { get; }

    /// <summary>Elements per row: the product of <c>shape[1..]</c> (1 for 1-D and 0-d arrays).</summary>
    public int RowLength { get; }

    /// <summary>The data as a row-addressable array, null when the array is empty.</summary>
    internal MappedArray? MappedData { get; }

    /// <summary>Reads rows [firstRow, firstRow + rowCount) converted to float32.</summary>
    /// <param name="firstRow">First row, 0 &lt;= firstRow &lt;= RowCount - rowCount.</param>
    /// <param name="rowCount">Rows to read.</param>
    /// <param name="destination">Output, <c>[rowCount, RowLength]</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The rows are outside the array.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    public void ReadRows(long firstRow, int rowCount, Span<float> destination)
    {
        if (MappedData is null)
        {
            if (rowCount < 0 || firstRow < 0 || firstRow > RowCount - rowCount)
                throw new ArgumentOutOfRangeException(nameof(firstRow), $"Rows [{firstRow}, {firstRow + rowCount}) are outside '{Path}' of {RowCount} rows.");
            if (destination.Length != 0)
                throw new ArgumentException($"Destination has {destination.Length} floats, expected [{rowCount}, {RowLength}] = 0.", nameof(destination));
            return;
        }
        MappedData.ReadRows(firstRow, rowCount, destination);
    }

    /// <summary>Reads the whole array converted to float32, in C order.</summary>
    /// <exception cref="InvalidDataException">The array has more elements than one .NET array can hold.</exception>
    public float[] ReadAll()
    {
        long count = RowCount * RowLength;
        if (count > Array.MaxLength)
            throw new InvalidDataException($"'{Path}' has {count} elements, too many for one array; read it with ReadRows.");
        var result = new float[count];
        MappedData?.ReadElements(0, result);
        return result;
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => file?.Dispose();
}

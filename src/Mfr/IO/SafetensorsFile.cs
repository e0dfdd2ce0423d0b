namespace Mfr.IO;

/// <summary>
/// A read-only, memory-mapped safetensors file (huggingface/safetensors format): an 8-byte
/// little-endian header length N, N bytes of UTF-8 JSON
/// <c>{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}</c>,
/// then the data section, with offsets relative to its start. <see cref="Open"/> validates the whole
/// header up front, with the official crate's rules (safetensors/src/tensor.rs <c>validate</c>):
/// tensors must cover the data section exactly, without overlaps, gaps or trailing bytes, and each
/// tensor's byte count must equal its element count times its element size. Every violation is an
/// <see cref="InvalidDataException"/> naming the file and the problem. Reads from several threads
/// are safe.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly MappedFile file;
    private readonly long dataSectionStart;
    private readonly Dictionary<string, TensorInfo> tensors;

    private SafetensorsFile(MappedFile file, SafetensorsHeader header)
    {
        this.file = file;
        dataSectionStart = header.DataSectionStart;
        tensors = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        TensorNames = header.Tensors.Select(t => t.Name).ToArray();
        Metadata = header.Metadata;
    }

    /// <summary>Opens, validates and memory-maps a safetensors file.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message says why.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            SafetensorsHeader header = SafetensorsHeader.Read(path, stream);
            return new SafetensorsFile(MappedFile.Map(path, stream), header);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path => file.Path;

    /// <summary>Tensor names in file order (ascending data offset).</summary>
    public IReadOnlyList<string> TensorNames { get; }

    /// <summary>The <c>"__metadata__"</c> string map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Whether the file has a tensor called <paramref name="name"/>.</summary>
    public bool Contains(string name) => tensors.ContainsKey(name);

    /// <summary>The header entry of tensor <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">No such tensor; the message lists the tensors there are.</exception>
    public TensorInfo GetInfo(string name)
    {
        if (tensors.TryGetValue(name, out TensorInfo? info)) return info;
        const int listed = 20;
        string names = string.Join(", ", TensorNames.Take(listed)) + (TensorNames.Count > listed ? $", ... ({TensorNames.Count} in all)" : "");
        throw new InvalidDataException(TensorNames.Count == 0
            ? $"Tensor '{name}' not in '{Path}'; it has no tensors."
            : $"Tensor '{name}' not in '{Path}'; it has: {names}.");
    }

    /// <summary>
    /// The header entry of tensor <paramref name="name"/>, checked to have exactly
    /// <paramref name="expectedShape"/> (for loaders that know what a checkpoint must hold).
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="expectedShape">The dimensions the caller needs.</param>
    /// <exception cref="InvalidDataException">No such tensor, or another shape; the message gives both shapes.</exception>
    public TensorInfo RequireShape(string name, params long[] expectedShape)
    {
        TensorInfo info = GetInfo(name);
        if (!info.Shape.SequenceEqual(expectedShape))
            throw new InvalidDataException($"Tensor '{name}' in '{Path}' has shape [{string.Join(", ", info.Shape)}] but [{string.Join(", ", expectedShape)}] was expected.");
        return info;
    }

    /// <summary>Reads a whole tensor as float32 (F16, BF16, F64, I32 and I64 are converted).</summary>
    /// <param name="name">Tensor name.</param>
    /// <returns>The elements in C order, <c>[product(shape)]</c>.</returns>
    /// <exception cref="InvalidDataException">No such tensor, or an element type that cannot be read as float32.</exception>
    public float[] ReadFloat32(string name)
    {
        MappedArray array = GetArray(name);
        if (array.ElementCount > Array.MaxLength)
            throw new InvalidDataException($"Tensor '{name}' in '{Path}' has {array.ElementCount} elements, too many for one array; read it in rows with ReadFloat32Rows.");
        var result = new float[array.ElementCount];
        array.ReadElements(0, result);
        return result;
    }

    /// <summary>Reads a whole tensor as float32 into <paramref name="destination"/>.</summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="destination">Output, <c>[product(shape)]</c> exactly.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    /// <exception cref="InvalidDataException">No such tensor, or an element type that cannot be read as float32.</exception>
    public void ReadFloat32(string name, Span<float> destination)
    {
        MappedArray array = GetArray(name);
        if (destination.Length != array.ElementCount)
            throw new ArgumentException($"Destination has {destination.Length} floats but tensor '{name}' [{string.Join(", ", tensors[name].Shape)}] has {array.ElementCount}.", nameof(destination));
        array.ReadElements(0, destination);
    }

    /// <summary>
    /// Reads rows of a tensor seen as <c>[shape[0], product(shape[1..])]</c> (a 1-D tensor is
    /// <c>[n, 1]</c>, a scalar <c>[1, 1]</c>), without touching the rest of the file.
    /// </summary>
    /// <param name="name">Tensor name.</param>
    /// <param name="firstRow">First row to read.</param>
    /// <param name="rowCount">Rows to read.</param>
    /// <param name="destination">Output, <c>[rowCount, rowLength]</c>.</param>
    public void ReadFloat32Rows(string name, long firstRow, int rowCount, Span<float> destination) =>
        GetArray(name).ReadRows(firstRow, rowCount, destination);

    /// <summary>The tensor as a row-addressable array (for Mfr.Data.ArrayFileSource).</summary>
    internal MappedArray GetArray(string name)
    {
        TensorInfo info = GetInfo(name);
        if (info.ReadableType is not TensorDType type)
            throw new InvalidDataException($"Tensor '{name}' in '{Path}' has element type {info.DType}, which cannot be read as float32 (readable: F32, F16, BF16, F64, I32, I64).");
        long rowCount = info.Shape.Count == 0 ? 1 : info.Shape[0];
        long rowLength = 1;
        for (int i = 1; i < info.Shape.Count; i++) rowLength *= info.Shape[i];
        return new MappedArray(file, dataSectionStart + info.DataStart, type, rowCount, rowLength, $"tensor '{name}' in '{Path}'");
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => file.Dispose();
}

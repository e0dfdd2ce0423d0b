using System.Buffers;
using Mfr.IO;

namespace Mfr.Data;

/// <summary>
/// Vectors read from an .npy or .safetensors file of shape <c>[n, d]</c> (or <c>[n, ...]</c>, rows
/// flattened; a 1-D array is refused), restricted to the rows [StartRow, EndRow). The file is
/// memory-mapped and only the rows of each batch are read, so files far larger than memory work;
/// F16/BF16/F64 data is converted to float32 on the fly. Batches are a pure function of
/// (seed, batch index, batch size) (<see cref="IVectorSource"/>): in
/// <see cref="ArrayFileOrder.Shuffled"/> order, batch i of size B holds stream positions
/// i*B .. i*B + B - 1 of an endless sequence of epochs, each epoch a permutation of the range drawn by
/// <see cref="ChunkedShuffle"/> from (seed, epoch); in <see cref="ArrayFileOrder.Sequential"/> order
/// those positions are the range's rows in file order, wrapping to its start. With
/// <see cref="ArrayFileSourceOptions.CheckFinite"/>, a NaN or infinity in a batch is an
/// <see cref="InvalidDataException"/> naming the file and row. <see cref="ReadBatch"/> is thread-safe.
/// </summary>
public sealed class ArrayFileSource : IVectorSource
{
    private readonly IDisposable owner;
    private readonly MappedArray array;
    private readonly ChunkedShuffle? shuffle;
    private readonly long startRow;
    private readonly long rowCount;

    /// <summary>Opens the file and checks the options against it.</summary>
    /// <param name="options">Which file, rows, order and seed.</param>
    /// <exception cref="ArgumentException">Invalid options, or a row range outside the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable .npy or safetensors file, or the tensor is missing.</exception>
    public ArrayFileSource(ArrayFileSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        (owner, array, string format) = OpenArray(options);
        try
        {
            if (array.RowLength is < 1 or > int.MaxValue)
                throw new InvalidDataException($"'{options.Path}' has rows of {array.RowLength} values; vectors need 1 to {int.MaxValue}.");
            long end = options.EndRow ?? array.RowCount;
            if (array.RowCount == 0)
                throw new InvalidDataException($"'{options.Path}' has no rows.");
            if (options.StartRow >= array.RowCount || end > array.RowCount)
                throw new ArgumentException($"Row range [{options.StartRow}, {end}) is outside '{options.Path}', which has {array.RowCount} rows.", nameof(options));
            startRow = options.StartRow;
            rowCount = end - options.StartRow;
            Dimension = (int)array.RowLength;
            if (options.Order == ArrayFileOrder.Shuffled)
                shuffle = new ChunkedShuffle(rowCount, options.ChunkRows, options.WindowChunks, options.Seed);
            string order = options.Order == ArrayFileOrder.Shuffled
                ? $"shuffled (seed {options.Seed}, chunks of {options.ChunkRows} rows, windows of {options.WindowChunks} chunks)"
                : "sequential";
            Description = $"{format} '{options.Path}' rows [{startRow}, {end}) of {array.RowCount} x {Dimension} {array.Type}, {order}";
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>The options the source was opened with.</summary>
    public ArrayFileSourceOptions Options { get; }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public long? VectorCount => rowCount;

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidDataException">The batch contains NaN or infinity (when checked); the message names file and row.</exception>
    public void ReadBatch(long batchIndex, int batchSize, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        if (destination.Length != (long)batchSize * Dimension)
            throw new ArgumentException($"Destination has {destination.Length} floats, expected [{batchSize}, {Dimension}] = {(long)batchSize * Dimension}.", nameof(destination));
        long firstPosition = checked(batchIndex * batchSize);
        long[] rows = ArrayPool<long>.Shared.Rent(batchSize);
        try
        {
            Span<long> batchRows = rows.AsSpan(0, batchSize);
            if (shuffle is null) ReadSequential(firstPosition, batchSize, destination, batchRows);
            else ReadShuffled(firstPosition, destination, batchRows);
            if (Options.CheckFinite) CheckFinite(destination, batchRows);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rows);
        }
    }

    private void ReadShuffled(long firstPosition, Span<float> destination, Span<long> rows)
    {
        shuffle!.RowsAt(firstPosition, rows);
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] += startRow;
            array.ReadRows(rows[i], 1, destination.Slice(i * Dimension, Dimension));
        }
    }

    /// <summary>Reads the positions as contiguous runs of the range, split where they wrap.</summary>
    private void ReadSequential(long firstPosition, int batchSize, Span<float> destination, Span<long> rows)
    {
        int done = 0;
        while (done < batchSize)
        {
            long offset = (firstPosition + done) % rowCount;
            int run = (int)Math.Min(batchSize - done, rowCount - offset);
            array.ReadRows(startRow + offset, run, destination.Slice(done * Dimension, run * Dimension));
            for (int i = 0; i < run; i++) rows[done + i] = startRow + offset + i;
            done += run;
        }
    }

    private void CheckFinite(ReadOnlySpan<float> batch, ReadOnlySpan<long> rows)
    {
        int index = ElementConversion.IndexOfNonFinite(batch);
        if (index < 0) return;
        long row = rows[index / Dimension];
        throw new InvalidDataException($"'{Options.Path}' row {row} has a non-finite value ({batch[index]}) in column {index % Dimension}.");
    }

    private static (IDisposable Owner, MappedArray Array, string Format) OpenArray(ArrayFileSourceOptions options)
    {
        if (Directory.Exists(options.Path)) throw new FileNotFoundException($"Vector file '{options.Path}' is a folder; give the .npy or .safetensors file in it.", options.Path);
        if (!File.Exists(options.Path)) throw new FileNotFoundException($"Vector file '{options.Path}' does not exist.", options.Path);
        if (IsNpy(options.Path))
        {
            NpyFile npy = NpyFile.Open(options.Path);
            try
            {
                CheckRank(options.Path, npy.Shape);
                if (npy.MappedData is null) throw new InvalidDataException($"'{options.Path}' has no rows (shape ({string.Join(", ", npy.Shape)})).");
                return (npy, npy.MappedData, "npy");
            }
            catch
            {
                npy.Dispose();
                throw;
            }
        }
        SafetensorsFile file = OpenSafetensors(options.Path);
        try
        {
            string name = options.TensorName ?? file.TensorNames.Count switch
            {
                1 => file.TensorNames[0],
                0 => throw new InvalidDataException($"'{options.Path}' has no tensors."),
                _ => throw new ArgumentException($"'{options.Path}' has {file.TensorNames.Count} tensors ({string.Join(", ", file.TensorNames.Take(10))}{(file.TensorNames.Count > 10 ? ", ..." : "")}); choose one with --tensor NAME (\"tensorName\" in run.json)."),
            };
            CheckRank(options.Path, file.GetInfo(name).Shape, name);
            return (file, file.GetArray(name), $"safetensors tensor '{name}' of");
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Vectors are rows: a 1-D array would silently train as d = 1 (issue 13, class 2), which is never what a
    /// file of activations means, so only [n, d] (or [n, ...], flattened) is accepted.
    /// </summary>
    private static void CheckRank(string path, IReadOnlyList<long> shape, string? tensor = null)
    {
        if (shape.Count >= 2) return;
        string what = tensor is null ? $"'{path}'" : $"Tensor '{tensor}' of '{path}'";
        throw new InvalidDataException($"{what} has shape ({string.Join(", ", shape)}{(shape.Count == 1 ? "," : "")}); vectors must be a 2-D array [n, d], one per row (reshape to (n, 1) if they really are single numbers).");
    }

    /// <summary>
    /// A file read as safetensors because it is not .npy: when its extension named neither format, a failure says the file
    /// is neither (a config or a text file given as --data), not only why it is no safetensors file.
    /// </summary>
    private static SafetensorsFile OpenSafetensors(string path)
    {
        try
        {
            return SafetensorsFile.Open(path);
        }
        catch (InvalidDataException error) when (!System.IO.Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            string prefix = $"'{path}' is not a valid safetensors file: ";
            string reason = error.Message.StartsWith(prefix, StringComparison.Ordinal) ? error.Message[prefix.Length..] : error.Message;
            throw new InvalidDataException($"'{path}' is neither an .npy file (no .npy magic) nor a safetensors file ({reason.TrimEnd('.')}).", error);
        }
    }

    /// <summary>
    /// The format the extension names (.npy or .safetensors), so a damaged file is reported as what it was meant to be;
    /// any other extension is recognised by the .npy magic, else read as safetensors.
    /// </summary>
    private static bool IsNpy(string path)
    {
        string extension = System.IO.Path.GetExtension(path);
        if (extension.Equals(".npy", StringComparison.OrdinalIgnoreCase)) return true;
        if (extension.Equals(".safetensors", StringComparison.OrdinalIgnoreCase)) return false;
        Span<byte> start = stackalloc byte[6];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return stream.Length >= 6 && stream.ReadAtLeast(start, 6, throwOnEndOfStream: false) == 6 && start.SequenceEqual(NpyHeader.Magic);
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose() => owner.Dispose();
}

namespace Mfr.IO;

/// <summary>
/// Writes a <c>[rowCount, rowLength]</c> float32 .npy file row block by row block, for arrays larger
/// than memory. The header is written first with room for any row count and rewritten with the final
/// count by <see cref="Complete"/>, which then renames the temporary file over the target
/// (<see cref="AtomicFile"/>); disposing without <see cref="Complete"/> deletes the temporary file and
/// leaves any existing target untouched. Not thread-safe.
/// </summary>
public sealed class NpyStreamWriter : IDisposable
{
    private readonly AtomicFileWriter writer;
    private readonly int headerLength;
    private bool completed;

    /// <summary>Starts writing <paramref name="path"/>.</summary>
    /// <param name="path">Target file; its folder must exist.</param>
    /// <param name="rowLength">Elements per row (the second dimension), at least 1.</param>
    public NpyStreamWriter(string path, int rowLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rowLength, 1);
        RowLength = rowLength;
        // Reserve the header a 19-digit row count would need, so rewriting it never moves the data.
        headerLength = NpyHeader.Format("<f4", [long.MaxValue, rowLength]).Length;
        writer = new AtomicFileWriter(path);
        writer.Stream.Write(NpyHeader.Format("<f4", [0, rowLength], headerLength));
    }

    /// <summary>Elements per row.</summary>
    public int RowLength { get; }

    /// <summary>Rows appended so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Appends whole rows.</summary>
    /// <param name="rows">Rows in C order, <c>[n, RowLength]</c> for some n &gt;= 0.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="RowLength"/>.</exception>
    public void Append(ReadOnlySpan<float> rows)
    {
        ObjectDisposedException.ThrowIf(completed, this);
        if (rows.Length % RowLength != 0)
            throw new ArgumentException($"Appended {rows.Length} floats, not a whole number of rows of {RowLength}.", nameof(rows));
        SafetensorsWriter.WriteFloats(writer.Stream, rows);
        RowCount += rows.Length / RowLength;
    }

    /// <summary>Writes the final header, flushes to disk and renames the file into place.</summary>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(completed, this);
        byte[] header = NpyHeader.Format("<f4", [RowCount, RowLength], headerLength);
        if (header.Length != headerLength) throw new InvalidOperationException("The rewritten .npy header changed size.");
        writer.Stream.Position = 0;
        writer.Stream.Write(header);
        writer.Commit();
        completed = true;
    }

    /// <summary>Deletes the temporary file unless <see cref="Complete"/> was called.</summary>
    public void Dispose()
    {
        completed = true;
        writer.Dispose();
    }
}

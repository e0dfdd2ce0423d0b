using System.IO.MemoryMappedFiles;

namespace Mfr.IO;

/// <summary>
/// A whole file mapped read-only into memory, addressed with 64-bit offsets so files of many GB
/// work. The pointer is acquired once and released on <see cref="Dispose"/>; reads from several
/// threads are safe, reads racing with <see cref="Dispose"/> are not.
/// </summary>
internal sealed unsafe class MappedFile : IDisposable
{
    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private byte* pointer;

    private MappedFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long length)
    {
        Path = path;
        this.map = map;
        this.view = view;
        Length = length;
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        pointer = start + view.PointerOffset;
    }

    /// <summary>The file's path as given.</summary>
    public string Path { get; }

    /// <summary>File length in bytes.</summary>
    public long Length { get; }

    /// <summary>Maps <paramref name="stream"/> (which the mapping then owns) read-only.</summary>
    /// <param name="path">Path, for messages.</param>
    /// <param name="stream">An open, readable stream of a file with at least one byte.</param>
    public static MappedFile Map(string path, FileStream stream)
    {
        long length = stream.Length;
        MemoryMappedFile? map = null;
        try
        {
            map = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            var view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new MappedFile(path, map, view, length);
        }
        catch
        {
            if (map is null) stream.Dispose();
            map?.Dispose();
            throw;
        }
    }

    /// <summary>The bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>).</summary>
    public ReadOnlySpan<byte> Bytes(long offset, int length)
    {
        ObjectDisposedException.ThrowIf(pointer == null, this);
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + length}) are outside '{Path}' of {Length} bytes.");
        return new ReadOnlySpan<byte>(pointer + offset, length);
    }

    /// <summary>Unmaps the file.</summary>
    public void Dispose()
    {
        ReleasePointer();
        view.Dispose();
        map.Dispose();
        GC.SuppressFinalize(this);
    }

    private void ReleasePointer()
    {
        if (pointer != null)
        {
            pointer = null;
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    /// <summary>
    /// Releases the acquired pointer if the owner forgot to dispose: while it is held the view's
    /// handle can never be freed. The handle itself is freed by its own (critical) finalizer, which
    /// runs after this one.
    /// </summary>
    ~MappedFile() => ReleasePointer();
}

namespace Mfr.IO;

/// <summary>
/// Crash-safe file writes: the content goes to a temporary file in the same folder, is flushed to
/// disk, and is then renamed over the target. A crash or an exception at any point leaves either the
/// old file or the complete new one, never a half-written file; a failed write deletes its temporary
/// file. The folder is flushed after the rename, so a committed write also survives a power cut.
/// </summary>
public static class AtomicFile
{
    /// <summary>Refuses, before any work, a path an atomic write could not reach (its folder missing, or a folder itself).</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="IOException">The path is a folder.</exception>
    public static void ThrowIfCannotWrite(string path) => AtomicFileWriter.ThrowIfCannotWrite(path);

    /// <summary>Writes <paramref name="path"/> atomically with the content <paramref name="write"/> puts in the stream.</summary>
    /// <param name="path">Target file; its folder must exist; an existing file is replaced.</param>
    /// <param name="write">Writes the content; if it throws, the target is untouched and the exception propagates.</param>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var writer = new AtomicFileWriter(path);
        write(writer.Stream);
        writer.Commit();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) atomically.</summary>
    /// <param name="path">Target file; its folder must exist.</param>
    /// <param name="text">The content.</param>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var writer = new AtomicFileWriter(path);
        using (var textWriter = new StreamWriter(writer.Stream, new System.Text.UTF8Encoding(false), bufferSize: 1 << 16, leaveOpen: true))
        {
            textWriter.Write(text);
        }
        writer.Commit();
    }

    /// <summary>Writes <paramref name="bytes"/> atomically.</summary>
    /// <param name="path">Target file; its folder must exist.</param>
    /// <param name="bytes">The content.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var writer = new AtomicFileWriter(path);
        writer.Stream.Write(bytes);
        writer.Commit();
    }
}

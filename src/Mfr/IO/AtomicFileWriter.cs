namespace Mfr.IO;

/// <summary>
/// The mechanism behind <see cref="AtomicFile"/>: a temporary file in the target's folder that
/// <see cref="Commit"/> flushes to disk and renames over the target (rename within one folder is
/// atomic on POSIX and NTFS), then flushes the folder so the rename itself survives a power cut
/// (<see cref="DirectorySync"/>); <see cref="Dispose"/> deletes it when not committed. So readers
/// see either the old file or the complete new one, never a partial write. A process killed while
/// writing leaves its temporary file behind (nothing runs at a kill); it is named so that
/// <see cref="IsTemporaryFileName"/> recognises it, and run folders remove such files when next
/// opened (Training/RunFolder).
/// </summary>
internal sealed partial class AtomicFileWriter : IDisposable
{
    private readonly FileStream stream;
    private bool committed;

    /// <summary>Creates the temporary file for <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The target's folder does not exist.</exception>
    public AtomicFileWriter(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TargetPath = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(TargetPath)!;
        ThrowIfCannotWrite(path);
        // Hidden, unique, same folder (so the final rename never crosses file systems).
        TemporaryPath = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(TargetPath)}.{Guid.NewGuid():N}.tmp");
        stream = new FileStream(TemporaryPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
    }

    /// <summary>
    /// Refuses a target no atomic write can reach: its folder missing, or the path itself a folder. Commands that write a
    /// file at the end of long work check it first (<see cref="AtomicFile.ThrowIfCannotWrite"/>).
    /// </summary>
    internal static void ThrowIfCannotWrite(string path)
    {
        string target = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot write '{path}': folder '{folder}' does not exist.");
        if (Directory.Exists(target))
            throw new IOException($"Cannot write '{path}': it is a folder.");
    }

    /// <summary>The file that <see cref="Commit"/> replaces (full path).</summary>
    public string TargetPath { get; }

    /// <summary>The temporary file being written.</summary>
    public string TemporaryPath { get; }

    /// <summary>The temporary file's stream (seekable).</summary>
    public FileStream Stream => stream;

    /// <summary>Flushes the data to disk, closes the temporary file, renames it over the target and flushes the folder.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(committed, this);
        stream.Flush(flushToDisk: true);
        stream.Dispose();
        File.Move(TemporaryPath, TargetPath, overwrite: true);
        committed = true;
        DirectorySync.Flush(System.IO.Path.GetDirectoryName(TargetPath)!);
    }

    /// <summary>
    /// True for the name of a temporary file this type creates (<c>.NAME.GUID.tmp</c>, GUID as 32 hex digits), for
    /// example one left by a killed process: such a file is never a result and can be deleted by whoever owns the folder.
    /// </summary>
    /// <param name="fileName">A file name without folder.</param>
    public static bool IsTemporaryFileName(string fileName) => TemporaryName().IsMatch(fileName);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();

    /// <summary>Closes and deletes the temporary file unless <see cref="Commit"/> succeeded.</summary>
    public void Dispose()
    {
        stream.Dispose();
        if (!committed)
        {
            committed = true;
            try
            {
                File.Delete(TemporaryPath);
            }
            catch (IOException)
            {
                // Best effort: the original exception (if any) matters more than a leftover temp file.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

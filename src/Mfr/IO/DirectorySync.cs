using System.Runtime.InteropServices;

namespace Mfr.IO;

/// <summary>
/// Makes a folder's entries durable: after a file is created, renamed or deleted in a folder, the change
/// lives in the folder's own metadata, which <c>fsync</c> on the file does not flush (POSIX fsync(2):
/// "calling fsync() on the file does not necessarily ensure that the entry in the directory containing
/// the file has also reached disk"). Databases fsync the folder after every rename that commits something
/// (SQLite's journal, PostgreSQL's <c>fsync_fname</c> on the parent); so do we. .NET has no API for it (it
/// refuses to open a folder as a file), hence libc's open/fsync/close. Windows needs nothing: NTFS
/// journals its metadata, and a folder cannot be opened for flushing without backup privileges.
/// </summary>
internal static partial class DirectorySync
{
    /// <summary>Flushes <paramref name="folder"/>'s entries to disk; best effort (a file system that cannot, e.g. some network mounts, is left as is).</summary>
    /// <param name="folder">An existing folder.</param>
    /// <returns>True when the folder was flushed (always false on Windows).</returns>
    public static bool Flush(string folder)
    {
        if (OperatingSystem.IsWindows()) return false;
        int descriptor = Open(folder, 0 /* O_RDONLY: enough to fsync, and its value is the same on every Unix */);
        if (descriptor < 0) return false;
        try
        {
            return Fsync(descriptor) == 0;
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}

using System.Globalization;

namespace Mfr.Training;

/// <summary>
/// The one writer of a run or experiment folder (issue 13: two <c>mfr train --out SAME</c>, or a run and a
/// <c>--resume</c> of it, interleaved metrics.jsonl and broke each other's checkpoints). The lock is an OS lock
/// on <c>FOLDER/.lock</c>, held while this object lives; the OS drops it when the process ends, however it
/// ends, so a crash never leaves a folder locked. The file holds the holder's process id, which the refusal
/// names. Readers (<c>mfr report</c>, <c>mfr eval</c>) never take it.
/// <para>
/// Mechanism, checked with two processes (tests/…/RunFolderLockTests): a byte-range lock
/// (<see cref="FileStream.Lock"/>: <c>fcntl(F_SETLK)</c> on Unix, <c>LockFileEx</c> on Windows) on one byte
/// past the pid text, so that the file itself stays readable (Windows byte-range locks are mandatory; .NET's
/// <see cref="FileShare.None"/> on Unix is an exclusive <c>flock</c>, which would make every other open fail,
/// so the contender could not read the pid). POSIX record locks belong to the process, not the handle: a
/// second lock from the same process succeeds, and closing any handle of the file drops them. So this
/// process also keeps a set of the folders it holds, refuses a second holder itself, and never opens a held
/// lock file again. On macOS, where .NET does not offer byte-range locks, the file is held with
/// <see cref="FileShare.None"/> instead (the refusal then cannot name the pid).
/// </para>
/// </summary>
internal sealed class RunFolderLock : IDisposable
{
    /// <summary>Name of the lock file in a locked folder.</summary>
    public const string FileName = ".lock";

    // Past any pid text, so the locked byte never overlaps what a contender reads.
    private const long LockedByte = 4096;

    private static readonly HashSet<string> HeldByThisProcess = new(StringComparer.Ordinal);

    private readonly FileStream stream;
    private readonly string path;
    private bool released;

    private RunFolderLock(FileStream stream, string path, string folder)
    {
        this.stream = stream;
        this.path = path;
        Folder = folder;
    }

    /// <summary>The locked folder.</summary>
    public string Folder { get; }

    /// <summary>Creates <paramref name="folder"/> if needed and takes its lock.</summary>
    /// <param name="folder">A run or experiment folder.</param>
    /// <exception cref="IOException">Another process (named by its pid) or this one holds the folder.</exception>
    public static RunFolderLock Acquire(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        CreateFolder(folder);
        string path = Path.GetFullPath(Path.Combine(folder, FileName));
        lock (HeldByThisProcess)
        {
            if (!HeldByThisProcess.Add(path))
                throw new IOException($"{folder} is in use by this process (pid {Environment.ProcessId}) already: one writer per folder.");
        }
        FileStream? stream = null;
        try
        {
            stream = LockFile(path, folder);
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush(flushToDisk: true);
            return new RunFolderLock(stream, path, folder);
        }
        catch
        {
            stream?.Dispose();
            lock (HeldByThisProcess) HeldByThisProcess.Remove(path);
            throw;
        }
    }

    /// <summary>
    /// Makes the folder, a run's first write: a path that cannot be one fails with what is wrong with it, not with the
    /// file system's "could not find file" for a parent that takes no folders (<c>/proc/x</c>) or a file in the way.
    /// </summary>
    private static void CreateFolder(string folder)
    {
        if (File.Exists(folder)) throw new IOException($"{folder} is a file, not a folder.");
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (IOException error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            string reason = AnAncestorIsAFile(folder) is string file ? $"{file} is a file" : "the file system does not allow a folder there";
            throw new IOException($"Cannot create the folder {folder}: {reason}.", error);
        }
    }

    private static string? AnAncestorIsAFile(string folder)
    {
        for (string? parent = Path.GetDirectoryName(Path.GetFullPath(folder)); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
            if (File.Exists(parent)) return parent;
        return null;
    }

    private static FileStream LockFile(string path, string folder)
    {
        if (OperatingSystem.IsMacOS())
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                throw InUse(folder, "another process");
            }
        }
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            stream.Lock(LockedByte, 1);
            return stream;
        }
        catch (IOException)
        {
            string holder = ReadHolder(stream);
            stream.Dispose();
            throw InUse(folder, holder);
        }
    }

    private static IOException InUse(string folder, string holder) =>
        new($"{folder} is in use by {holder}: one writer per folder. Wait for it to finish, or stop it and run again.");

    private static string ReadHolder(FileStream stream)
    {
        var buffer = new byte[32];
        stream.Position = 0;
        int length = stream.Read(buffer);
        string text = System.Text.Encoding.ASCII.GetString(buffer, 0, length).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? $"process {pid} (pid in {FileName})" : "another process";
    }

    /// <summary>Releases the lock (the lock file stays: deleting it would let a waiting process lock a file no one else sees).</summary>
    public void Dispose()
    {
        if (released) return;
        released = true;
        stream.Dispose();
        lock (HeldByThisProcess) HeldByThisProcess.Remove(path);
    }
}

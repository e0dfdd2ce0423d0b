using Mfr.Checkpoints;
using Mfr.IO;

namespace Mfr.Training;

/// <summary>
/// Housekeeping of a run or experiment folder that its writer does when it takes the folder (under its
/// <see cref="RunFolderLock"/>): a process killed while writing leaves temporary files behind, since nothing
/// runs at a kill (issue 13, class 7: a GPT-2 activation file's is gigabytes). They are never results, so they
/// go at the next start or resume of that folder.
/// </summary>
internal static class RunFolder
{
    /// <summary>
    /// Deletes the temporary files and folders left in <paramref name="folder"/> and its subfolders by interrupted writes:
    /// <c>.NAME.GUID.tmp</c> files (<see cref="AtomicFile"/>: run.json, <c>latest</c>, SAE files, <c>.npy</c> data) and
    /// <c>.tmp-step-*</c> checkpoint folders. A subfolder holding its own <see cref="RunFolderLock.FileName"/> is another
    /// writer's (a run inside an experiment) and is left to it.
    /// </summary>
    /// <param name="folder">A folder the caller holds the lock of; nothing happens when it does not exist.</param>
    /// <returns>The paths removed.</returns>
    public static IReadOnlyList<string> RemoveTemporaryFiles(string folder)
    {
        var removed = new List<string>();
        if (Directory.Exists(folder)) Clean(folder, removed, isRoot: true);
        return removed;
    }

    private static void Clean(string folder, List<string> removed, bool isRoot)
    {
        if (!isRoot && File.Exists(Path.Combine(folder, RunFolderLock.FileName))) return;
        foreach (string file in Directory.GetFiles(folder))
        {
            if (!AtomicFileWriter.IsTemporaryFileName(Path.GetFileName(file))) continue;
            File.Delete(file);
            removed.Add(file);
        }
        foreach (string subfolder in Directory.GetDirectories(folder))
        {
            if (TrainingCheckpoint.IsTemporaryFolderName(Path.GetFileName(subfolder)))
            {
                Directory.Delete(subfolder, recursive: true);
                removed.Add(subfolder);
            }
            else if ((File.GetAttributes(subfolder) & FileAttributes.ReparsePoint) == 0)
            {
                Clean(subfolder, removed, isRoot: false);
            }
        }
    }

    /// <summary>One line saying what <see cref="RemoveTemporaryFiles"/> removed (null when nothing).</summary>
    public static string? Describe(string folder, IReadOnlyList<string> removed) => removed.Count == 0 ? null :
        $"removed {removed.Count} temporary file(s) left in {folder} by an interrupted write ({string.Join(", ", removed.Take(3).Select(p => Path.GetRelativePath(folder, p)))}{(removed.Count > 3 ? ", ..." : "")}).";
}

namespace Mfr.Tests.TestSupport;

/// <summary>
/// A fresh folder under the system temp folder, deleted with its content on dispose: the one temp-folder
/// helper of the tests (it replaces the Eeg and IO copies, issue 12 item 9).
/// </summary>
public sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mfr-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>Full path of the folder.</summary>
    public string Path { get; }

    /// <summary>A path inside the folder, e.g. <c>Combine("run", "run.json")</c>.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>The path of file <paramref name="name"/> in the folder (it need not exist).</summary>
    public string File(string name) => Combine(name);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="name"/> (creating subfolders) and returns its path.</summary>
    public string Write(string name, byte[] bytes)
    {
        string path = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Names of all files directly in the folder (including hidden temporary files).</summary>
    public string[] FileNames() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still open on some platform must not fail the test.
        }
    }
}

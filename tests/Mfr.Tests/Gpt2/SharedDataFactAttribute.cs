namespace Mfr.Tests.Gpt2;

/// <summary>
/// A fact that needs files from the read-only shared data folder (<c>shared/data</c> above the
/// repository root); it is skipped, with a message naming the missing file, when they are absent.
/// </summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(params string[] relativePaths)
    {
        foreach (string relativePath in relativePaths)
        {
            string path = Gpt2TestFiles.SharedDataPath(relativePath);
            if (!File.Exists(path))
            {
                Skip = $"Shared data file absent: {path}";
                return;
            }
        }
    }
}

namespace Mfr.Tests.Gpt2;

/// <summary>A theory that is skipped, like <see cref="SharedDataFactAttribute"/>, when shared data files are absent.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute(params string[] relativePaths)
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

using System.Text;

namespace Mfr.Reports;

/// <summary>A rendered Markdown report: the report.md text and the SVG figure files it links to.</summary>
/// <param name="Markdown">Content of report.md.</param>
/// <param name="Files">Figure files, paths relative to report.md's folder.</param>
public sealed record MarkdownReport(string Markdown, IReadOnlyList<ReportFile> Files)
{
    /// <summary>Writes report.md (or <paramref name="fileName"/>) and the figure files into <paramref name="directory"/>, creating folders as needed.</summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="fileName">Name of the Markdown file.</param>
    /// <returns>The full path of the Markdown file.</returns>
    public string WriteTo(string directory, string fileName = "report.md")
    {
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        Directory.CreateDirectory(directory);
        foreach (ReportFile file in Files)
        {
            string path = Path.Combine(directory, file.RelativePath.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Content, encoding);
        }
        string markdownPath = Path.Combine(directory, fileName);
        File.WriteAllText(markdownPath, Markdown, encoding);
        return markdownPath;
    }
}

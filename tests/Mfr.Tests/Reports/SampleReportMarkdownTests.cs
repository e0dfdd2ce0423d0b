using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mfr.Reports;

namespace Mfr.Tests.Reports;

/// <summary>The sample report written as report.md + SVG files (kept in MFR_REPORT_ARTIFACTS/markdown when that is set).</summary>
public sealed class SampleReportMarkdownTests
{
    [Fact]
    public void WriteTo_EveryLinkedFigureExistsAndIsAWellFormedSvg()
    {
        // Given
        string? kept = Environment.GetEnvironmentVariable("MFR_REPORT_ARTIFACTS");
        string folder = string.IsNullOrEmpty(kept)
            ? Directory.CreateTempSubdirectory("mfr-md-").FullName
            : Directory.CreateDirectory(Path.Combine(kept, "markdown")).FullName;
        try
        {
            // When
            string markdownPath = MarkdownReportWriter.Write(SampleReportFactory.Create()).WriteTo(folder);

            // Then
            string markdown = File.ReadAllText(markdownPath);
            var links = Regex.Matches(markdown, @"!\[[^\]]*\]\((figures/[a-z0-9-]+\.svg)\)").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(9, links.Count);
            foreach (string link in links)
            {
                XElement root = XDocument.Load(Path.Combine(folder, link)).Root!;
                Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), root.Name);
            }
        }
        finally
        {
            if (string.IsNullOrEmpty(kept)) Directory.Delete(folder, recursive: true);
        }
    }
}

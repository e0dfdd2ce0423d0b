using System.Globalization;
using System.Text.RegularExpressions;
using Mfr.Reports;
using Xunit.Abstractions;

namespace Mfr.Tests.Reports;

/// <summary>
/// Renders the sample report in headless Chromium. Set MFR_REPORT_ARTIFACTS to a folder to keep the
/// HTML and screenshots for viewing (the visual regression target).
/// </summary>
public sealed class HtmlReportRenderingTests(ITestOutputHelper output)
{
    // Test-only probe appended to a copy of the report (the report itself has no scripts): writes each
    // inline SVG's rendered size into the DOM, which --dump-dom then returns.
    private const string SizeProbe = """
        <script>
        (function () {
          var rows = [];
          document.querySelectorAll('figure').forEach(function (figure) {
            var svg = figure.querySelector('svg');
            var box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
            rows.push(figure.id + ' ' + box.width.toFixed(1) + ' ' + box.height.toFixed(1));
          });
          var pre = document.createElement('pre');
          pre.id = 'svg-sizes';
          pre.textContent = rows.join('\n');
          document.body.appendChild(pre);
        })();
        </script>
        """;

    [ChromiumFact]
    public void SampleReport_Screenshot_IsANonTrivialPng()
    {
        // Given
        using var folder = new ArtifactFolder();
        string html = folder.Write("report.html", HtmlReportWriter.Write(SampleReportFactory.Create()));
        string png = Path.Combine(folder.Path, "report.png");

        // When
        HeadlessChromium.Screenshot(html, png, 1200, 2000);

        // Then
        Assert.True(File.Exists(png), $"No screenshot written at {png}.");
        byte[] bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 20_000, $"Screenshot is only {bytes.Length} bytes; the page probably did not render.");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        output.WriteLine($"Screenshot: {png} ({bytes.Length} bytes)");
    }

    [ChromiumFact]
    public void SampleReport_InBrowser_EveryFigureRendersWithNonZeroSize() => EveryFigureRendersWithNonZeroSize(SampleReportFactory.Create(), "report");

    [ChromiumFact]
    public void TinySyntheticExperimentReport_InBrowser_EveryFigureRendersWithNonZeroSize_AndScreenshots()
    {
        // Given the report of a real (tiny) run folder: figures 8, 3, 5a, 5b and the training curves
        using var runs = new TestSupport.TemporaryDirectory();
        TinySyntheticExperiment.Run(runs.Path);
        ReportDocument document = RunReport.Build(runs.Path);

        // When / Then
        EveryFigureRendersWithNonZeroSize(document, "synthetic-report");
        using var folder = new ArtifactFolder();
        string png = Path.Combine(folder.Path, "synthetic-report.png");
        HeadlessChromium.Screenshot(folder.Write("synthetic-report.html", HtmlReportWriter.Write(document)), png, 1200, 2600);
        Assert.True(new FileInfo(png).Length > 20_000, "The synthetic report's screenshot is nearly empty.");
    }

    private void EveryFigureRendersWithNonZeroSize(ReportDocument document, string name)
    {
        // Given
        int expectedFigures = CountFigures(document.Sections);
        using var folder = new ArtifactFolder();
        string report = HtmlReportWriter.Write(document);
        string probe = folder.Write($"{name}-size-probe.html", report.Replace("</body>", SizeProbe + "\n</body>", StringComparison.Ordinal));

        // When
        string dom = HeadlessChromium.DumpDom(probe);

        // Then
        Match sizes = Regex.Match(dom, "<pre id=\"svg-sizes\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(sizes.Success, $"The size probe did not run; DOM starts with: {dom[..Math.Min(300, dom.Length)]}");
        string[] rows = sizes.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expectedFigures, rows.Length);
        foreach (string row in rows)
        {
            string[] parts = row.Split(' ');
            double width = double.Parse(parts[1], CultureInfo.InvariantCulture), height = double.Parse(parts[2], CultureInfo.InvariantCulture);
            output.WriteLine(row);
            Assert.True(width > 100 && height > 100, $"Figure {parts[0]} rendered at {width} x {height} px.");
        }
    }

    private static int CountFigures(IEnumerable<ReportBlock> blocks) =>
        blocks.Sum(block => block switch { FigureBlock => 1, ReportSection section => CountFigures(section.Blocks), _ => 0 });

    /// <summary>A temporary folder, or MFR_REPORT_ARTIFACTS when set (then kept).</summary>
    private sealed class ArtifactFolder : IDisposable
    {
        private readonly bool keep;

        public ArtifactFolder()
        {
            string? kept = Environment.GetEnvironmentVariable("MFR_REPORT_ARTIFACTS");
            keep = !string.IsNullOrEmpty(kept);
            Path = keep ? Directory.CreateDirectory(kept!).FullName : Directory.CreateTempSubdirectory("mfr-report-").FullName;
        }

        public string Path { get; }

        public string Write(string name, string content)
        {
            string path = System.IO.Path.Combine(Path, name);
            File.WriteAllText(path, content);
            return path;
        }

        public void Dispose()
        {
            if (!keep) Directory.Delete(Path, recursive: true);
        }
    }
}

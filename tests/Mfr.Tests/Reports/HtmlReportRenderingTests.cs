using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Mfr.Reports;
using Xunit.Abstractions;

namespace Mfr.Tests.Reports;

/// <summary>
/// Renders reports in headless Chromium and checks what a reader sees: each figure drawn at a readable size
/// inside the window, with its labels and its numbered caption, and each table's numbered caption. Set
/// MFR_REPORT_ARTIFACTS to a folder to keep the HTML and a screenshot of each report for viewing.
/// </summary>
public sealed class HtmlReportRenderingTests(ITestOutputHelper output)
{
    // Test-only probe appended to a copy of the report (the report itself has no scripts): writes into the
    // DOM, which --dump-dom then returns, one tab-separated row per figure (id, the inline SVG's rendered
    // width and height, whether it ends inside the window, how many of its text labels have a rendered
    // width, the caption's text) and one per table caption (its text).
    private const string Probe = """
        <script>
        (function () {
          var rows = [];
          var windowWidth = document.documentElement.clientWidth;
          document.querySelectorAll('figure').forEach(function (figure) {
            var svg = figure.querySelector('svg');
            var box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0, right: 0 };
            var texts = svg ? Array.prototype.filter.call(svg.querySelectorAll('text'), function (t) { return t.getBBox().width > 0; }).length : 0;
            var caption = figure.querySelector('figcaption');
            rows.push(['figure', figure.id, box.width.toFixed(1), box.height.toFixed(1), box.right <= windowWidth + 0.5 ? 'inside' : 'overflows',
              texts, caption ? caption.textContent : ''].join('\t'));
          });
          document.querySelectorAll('caption').forEach(function (caption) { rows.push(['table', caption.textContent].join('\t')); });
          var pre = document.createElement('pre');
          pre.id = 'probe';
          pre.textContent = rows.join('\n');
          document.body.appendChild(pre);
        })();
        </script>
        """;

    private const int WindowWidth = 1200;

    [ChromiumFact]
    public void SampleReport_InBrowser_EveryFigureShowsWithItsCaption_AndEveryTableWithItsNumber() => EveryFigureAndTableShows(SampleReportFactory.Create(), "report");

    [ChromiumFact]
    public void TinySyntheticExperimentReport_InBrowser_EveryFigureShowsWithItsCaption_AndEveryTableWithItsNumber()
    {
        // Given the report of a real (tiny) run folder: figures 8, 3, 5a, 5b and the training curves
        using var runs = new TestSupport.TemporaryDirectory();
        TinySyntheticExperiment.Run(runs.Path);
        ReportDocument document = RunReport.Build(runs.Path);

        // When / Then
        EveryFigureAndTableShows(document, "synthetic-report");
    }

    private void EveryFigureAndTableShows(ReportDocument document, string name)
    {
        // Given what the document holds, numbered as the writers number it
        var (figures, tables) = Expected(document);
        using var folder = new ArtifactFolder();
        string report = HtmlReportWriter.Write(document);
        string probe = folder.Write($"{name}-probe.html", report.Replace("</body>", Probe + "\n</body>", StringComparison.Ordinal));

        // When
        string dom = HeadlessChromium.DumpDom(probe, WindowWidth);
        if (folder.Keep) HeadlessChromium.Screenshot(folder.Write($"{name}.html", report), Path.Combine(folder.Path, $"{name}.png"), WindowWidth, 4000);

        // Then every figure is drawn at a readable size, inside the window, with its labels and its caption,
        // and every table shows its numbered caption
        Match rows = Regex.Match(dom, "<pre id=\"probe\">(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(rows.Success, $"The probe did not run; DOM starts with: {dom[..Math.Min(300, dom.Length)]}");
        string[][] cells = WebUtility.HtmlDecode(rows.Groups[1].Value).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(row => row.Split('\t')).ToArray();
        string[][] drawn = cells.Where(c => c[0] == "figure").ToArray();
        Assert.Equal(figures.Select(f => "figure-" + f.Name), drawn.Select(c => c[1]));
        for (int i = 0; i < drawn.Length; i++)
        {
            string[] figure = drawn[i];
            double width = double.Parse(figure[2], CultureInfo.InvariantCulture), height = double.Parse(figure[3], CultureInfo.InvariantCulture);
            output.WriteLine(string.Join(" ", figure[1..5]));
            Assert.True(width > 100 && height > 100, $"Figure {figure[1]} rendered at {width} x {height} px.");
            Assert.True(figure[4] == "inside", $"Figure {figure[1]} runs past the right edge of a {WindowWidth} px window.");
            Assert.True(int.Parse(figure[5], CultureInfo.InvariantCulture) >= 3, $"Figure {figure[1]} shows only {figure[5]} text labels (title, ticks, axis titles expected).");
            Assert.Equal($"Figure {i + 1}. {figures[i].Caption}", figure[6]);
        }
        Assert.Equal(tables, cells.Where(c => c[0] == "table").Select(c => c[1]));
    }

    // The figures in document order, and each table's caption as the writers number it (titled key/value lists are tables).
    private static (List<FigureBlock> Figures, List<string> Tables) Expected(ReportDocument document)
    {
        var figures = new List<FigureBlock>();
        var tables = new List<string>();
        void Walk(IEnumerable<ReportBlock> blocks)
        {
            foreach (ReportBlock block in blocks)
            {
                switch (block)
                {
                    case FigureBlock figure: figures.Add(figure); break;
                    case ReportTable table: tables.Add($"Table {tables.Count + 1}." + (table.Caption is { } c ? " " + c : "")); break;
                    case KeyValueBlock { Title: { } title }: tables.Add($"Table {tables.Count + 1}. {title}"); break;
                    case ReportSection section: Walk(section.Blocks); break;
                }
            }
        }
        Walk(document.Sections);
        return (figures, tables);
    }

    /// <summary>A temporary folder, or MFR_REPORT_ARTIFACTS when set (then kept).</summary>
    private sealed class ArtifactFolder : IDisposable
    {
        public ArtifactFolder()
        {
            string? kept = Environment.GetEnvironmentVariable("MFR_REPORT_ARTIFACTS");
            Keep = !string.IsNullOrEmpty(kept);
            Path = Keep ? Directory.CreateDirectory(kept!).FullName : Directory.CreateTempSubdirectory("mfr-report-").FullName;
        }

        public string Path { get; }

        /// <summary>Whether the folder is MFR_REPORT_ARTIFACTS (kept, and worth a screenshot for viewing).</summary>
        public bool Keep { get; }

        public string Write(string name, string content)
        {
            string path = System.IO.Path.Combine(Path, name);
            File.WriteAllText(path, content);
            return path;
        }

        public void Dispose()
        {
            if (!Keep) Directory.Delete(Path, recursive: true);
        }
    }
}

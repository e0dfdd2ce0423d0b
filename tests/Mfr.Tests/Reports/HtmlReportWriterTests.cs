using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mfr.Reports;
using Mfr.Reports.Svg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Reports;

public sealed class HtmlReportWriterTests
{
    private static ReportDocument Document()
    {
        var document = new ReportDocument("MFR <run> & co", "subtitle");
        ReportSection results = document.AddSection("Results").AddParagraph("MFR lowers the loss: a < b && c > d.");
        results.AddTable(new ReportTable(["k", "Model", "MSE"], "Loss per k.").AddRow("6", "Baseline", "0.00160").AddRow("6", "MFR", "0.00132"));
        results.AddFigure("loss", new Chart("Loss").AddLine("a", [0, 1, 2], [3, 2, 1]), "Loss <over> training.");
        results.AddSubsection("Details").AddBulletList(["one", "two"]).AddFigure("other", new Chart("Other").AddLine("b", [0, 1], [5, 6]), "Another.");
        document.AddSection("Notes").AddKeyValues("Hyperparameters", [new("lr", "0.001")]);
        document.AddProvenance("seed", "42").AddProvenance("sha256", "9f86d081884c7d65");
        return document;
    }

    private static XElement Parse(string html) => XDocument.Parse(html).Root!;

    [Fact]
    public void Write_IsWellFormedXhtmlCompatibleMarkup()
    {
        XElement root = Parse(HtmlReportWriter.Write(Document()));

        Assert.Equal("html", root.Name.LocalName);
        Assert.Equal("MFR <run> & co", root.Descendants("title").First().Value);
        Assert.Equal("MFR <run> & co", root.Descendants("h1").Single().Value);
    }

    [Fact]
    public void Write_IsSelfContained_NoScriptsNoExternalUrls()
    {
        string html = HtmlReportWriter.Write(Document());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", Regex.Replace(html, @"url\(#[^)]+\)", ""));
        Assert.DoesNotContain("src=", html);
        XElement root = Parse(html);
        var ids = root.Descendants().Select(e => (string?)e.Attribute("id")).Where(id => id is not null).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(root.Descendants("a"), a => Assert.Contains(((string)a.Attribute("href")!).TrimStart('#'), ids));
    }

    [Fact]
    public void Write_TablesHaveHeaderRowsCaptionAndRightAlignedNumbers()
    {
        XElement table = Parse(HtmlReportWriter.Write(Document())).Descendants("table").First();

        Assert.Equal("Table 1. Loss per k.", table.Element("caption")!.Value);
        Assert.Equal(["k", "Model", "MSE"], table.Descendants("th").Select(th => th.Value));
        Assert.Equal(["num", null, "num"], table.Descendants("th").Select(th => (string?)th.Attribute("class")));
        List<XElement> rows = table.Element("tbody")!.Elements("tr").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["6", "MFR", "0.00132"], rows[1].Elements("td").Select(td => td.Value));
        Assert.Equal(["num", null, "num"], rows[1].Elements("td").Select(td => (string?)td.Attribute("class")));
    }

    [Fact]
    public void Write_FiguresAreInlineSvgWithNumberedCaptions()
    {
        XElement root = Parse(HtmlReportWriter.Write(Document()));

        List<XElement> figures = root.Descendants("figure").ToList();
        Assert.Equal(["figure-loss", "figure-other"], figures.Select(f => (string?)f.Attribute("id")));
        Assert.All(figures, f => Assert.Equal("svg", f.Elements().First().Name.LocalName));
        Assert.Equal(["Figure 1. Loss <over> training.", "Figure 2. Another."], figures.Select(f => f.Element("figcaption")!.Value));
    }

    [Fact]
    public void Write_SectionsNestAndProvenanceComesLast()
    {
        XElement main = Parse(HtmlReportWriter.Write(Document())).Descendants("main").Single();

        List<XElement> sections = main.Elements("section").ToList();
        Assert.Equal(["Results", "Notes", ReportDocument.ProvenanceHeading], sections.Select(s => s.Element("h2")!.Value));
        Assert.Equal("Details", sections[0].Element("section")!.Element("h3")!.Value);
        XElement provenance = sections[^1];
        Assert.Equal("provenance", (string?)provenance.Attribute("id"));
        Assert.Equal(["seed", "sha256"], provenance.Descendants("th").Select(th => th.Value));
        Assert.Equal(["42", "9f86d081884c7d65"], provenance.Descendants("code").Select(c => c.Value));
    }

    [Fact]
    public void Write_EveryTableIsNumbered_CaptionedOrNot_TitledKeyValuesIncluded_ProvenanceNot()
    {
        // Given a captioned table, an uncaptioned one and a titled key/value list, then provenance
        var document = new ReportDocument("r");
        document.AddSection("A").AddTable(new ReportTable(["x"], "First.").AddRow("1")).AddTable(new ReportTable(["y"]).AddRow("2"))
            .AddKeyValues("Settings.", [new("lr", "0.01")]);
        document.AddProvenance("seed", "1");

        // When
        XElement root = Parse(HtmlReportWriter.Write(document));

        // Then
        Assert.Equal(["Table 1. First.", "Table 2.", "Table 3. Settings."], root.Descendants("caption").Select(c => c.Value));
        Assert.Empty(root.Descendants("section").Single(s => (string?)s.Attribute("id") == "provenance").Descendants("caption"));
    }

    [Fact]
    public void Write_WarningsComeBeforeTheFirstSection()
    {
        var document = new ReportDocument("r");
        document.AddSection("A").AddParagraph("text");
        document.AddWarning("run: the training log is missing (/x/metrics.jsonl).");

        XElement main = Parse(HtmlReportWriter.Write(document)).Descendants("main").Single();

        XElement first = main.Elements().First();
        Assert.Equal("warnings", (string?)first.Attribute("id"));
        Assert.Equal("Warning. run: the training log is missing (/x/metrics.jsonl).", first.Element("p")!.Value);
    }

    [Fact]
    public void Write_JsonProvenance_IsPreformattedOneKeyPerLine()
    {
        var document = new ReportDocument("r").AddProvenance("experiment", "{\"data\":{\"seed\":0},\"beta\":\"auto\"}");

        XElement cell = Parse(HtmlReportWriter.Write(document)).Descendants("td").Single();

        Assert.Equal("pre", cell.Elements().Single().Name.LocalName);
        Assert.Equal(["{", "  \"data\": {", "    \"seed\": 0", "  },", "  \"beta\": \"auto\"", "}"], cell.Value.Split('\n'));
    }

    [Fact]
    public void Write_ParagraphTextIsEscaped()
    {
        XElement root = Parse(HtmlReportWriter.Write(Document()));

        Assert.Contains(root.Descendants("p"), p => p.Value == "MFR lowers the loss: a < b && c > d.");
    }

    [Fact]
    public void Write_SameDocument_GivesIdenticalText()
    {
        Assert.Equal(HtmlReportWriter.Write(Document()), HtmlReportWriter.Write(Document()));
    }

    [Fact]
    public void WriteFile_CreatesFolderAndWritesUtf8WithoutBom()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("nested", "report.html");

        HtmlReportWriter.WriteFile(Document(), path);

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal((byte)'<', bytes[0]);
        Assert.Equal(HtmlReportWriter.Write(Document()), File.ReadAllText(path));
    }
}

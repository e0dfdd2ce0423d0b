using System.Xml.Linq;
using Mfr.Reports;
using Mfr.Reports.Svg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Reports;

public sealed class MarkdownReportWriterTests
{
    private static ReportDocument Document()
    {
        var document = new ReportDocument("MFR run");
        ReportSection section = document.AddSection("Results").AddParagraph("Use *beta* = auto_scaled, see [paper].");
        section.AddTable(new ReportTable(["k", "Model", "MSE"], "Loss per k.").AddRow("6", "Base|line", "0.00160").AddRow("12", "MFR", "0.00132"));
        section.AddFigure("loss", new Chart("Loss").AddLine("a", [0, 1], [1, 0]), "Loss over training.");
        document.AddProvenance("config", "{\"k\": 6}").AddProvenance("path", "a|b");
        return document;
    }

    [Fact]
    public void Write_TableIsAPipeTableWithAlignmentRow()
    {
        string markdown = MarkdownReportWriter.Write(Document()).Markdown;

        Assert.Contains("**Table 1.** Loss per k.\n\n| k | Model | MSE |\n| ---: | --- | ---: |\n| 6 | Base\\|line | 0.00160 |\n| 12 | MFR | 0.00132 |\n", markdown);
    }

    [Fact]
    public void Write_FigureBecomesAStandaloneSvgFileLinkedAsAnImage()
    {
        MarkdownReport report = MarkdownReportWriter.Write(Document());

        ReportFile file = Assert.Single(report.Files);
        Assert.Equal("figures/loss.svg", file.RelativePath);
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), XDocument.Parse(file.Content).Root!.Name);
        Assert.Contains("![Figure 1. Loss over training.](figures/loss.svg)\n\n**Figure 1.** Loss over training.", report.Markdown);
    }

    [Fact]
    public void Write_TextIsEscapedSoItShowsLiterally()
    {
        string markdown = MarkdownReportWriter.Write(Document()).Markdown;

        Assert.Contains("Use \\*beta\\* = auto\\_scaled, see \\[paper\\].", markdown);
    }

    [Fact]
    public void Write_ProvenanceIsTheLastSectionWithCodeValues()
    {
        string markdown = MarkdownReportWriter.Write(Document()).Markdown;

        string tail = markdown[markdown.IndexOf("## " + ReportDocument.ProvenanceHeading, StringComparison.Ordinal)..];
        Assert.Contains("| path | `a\\|b` |", tail);
        // A configuration given as JSON is indented, one key per line, in a code block under its key
        Assert.Contains("**config**\n\n```\n{\n  \"k\": 6\n}\n```\n", tail);
        Assert.True(markdown.IndexOf("## Results", StringComparison.Ordinal) < markdown.IndexOf("## " + ReportDocument.ProvenanceHeading, StringComparison.Ordinal));
    }

    [Fact]
    public void Write_TablesWithoutCaption_AndTitledKeyValues_AreNumberedToo_WarningsFirst()
    {
        // Given
        var document = new ReportDocument("r");
        document.AddSection("A").AddTable(new ReportTable(["x"]).AddRow("1")).AddKeyValues("Settings.", [new("lr", "0.01")]);
        document.AddWarning("no final SAEs.");

        // When
        string markdown = MarkdownReportWriter.Write(document).Markdown;

        // Then
        Assert.Contains("**Table 1.**\n\n| x |", markdown);
        Assert.Contains("**Table 2.** Settings.\n\n| Key | Value |", markdown);
        Assert.True(markdown.IndexOf("> **Warning.** no final SAEs.", StringComparison.Ordinal) < markdown.IndexOf("## A", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../figures")]
    [InlineData("a/b")]
    public void Write_FigureFolderNotAPlainName_Throws(string folder)
    {
        Assert.Throws<ArgumentException>(() => MarkdownReportWriter.Write(Document(), folder));
    }

    [Fact]
    public void WriteTo_WritesMarkdownAndFiguresIntoTheFolder()
    {
        using var temporary = new TemporaryDirectory();
        string folder = temporary.Combine("report");
        MarkdownReport report = MarkdownReportWriter.Write(Document());

        string path = report.WriteTo(folder);

        Assert.Equal(Path.Combine(folder, "report.md"), path);
        Assert.Equal(report.Markdown, File.ReadAllText(path));
        Assert.Equal(report.Files[0].Content, File.ReadAllText(Path.Combine(folder, "figures", "loss.svg")));
    }
}

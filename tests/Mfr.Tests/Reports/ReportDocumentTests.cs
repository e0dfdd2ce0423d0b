using Mfr.Reports;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports;

public sealed class ReportDocumentTests
{
    private static readonly Chart AnyChart = new Chart().AddLine("a", [0, 1], [0, 1]);

    [Theory]
    [InlineData("")]
    [InlineData("Loss")]
    [InlineData("loss curve")]
    [InlineData("../loss")]
    [InlineData("-loss")]
    [InlineData("loss.svg")]
    public void AddFigure_NameNotLowerCaseLettersDigitsDashes_Throws(string name)
    {
        var section = new ReportDocument("r").AddSection("s");

        Assert.Throws<ArgumentException>(() => section.AddFigure(name, AnyChart, "caption"));
    }

    [Fact]
    public void AddFigure_SameNameTwiceInOneDocument_Throws()
    {
        var document = new ReportDocument("r");
        document.AddSection("a").AddFigure("loss", AnyChart, "first");

        var error = Assert.Throws<ArgumentException>(() => document.AddSection("b").AddFigure("loss", AnyChart, "second"));
        Assert.Contains("'loss'", error.Message);
    }

    [Fact]
    public void AddSubsection_NestsOneLevelDeeperUpToTheLimit()
    {
        ReportSection section = new ReportDocument("r").AddSection("s");

        ReportSection child = section.AddSubsection("t");
        ReportSection grandchild = child.AddSubsection("u");

        Assert.Equal(3, child.Level);
        Assert.Equal(ReportSection.MaxLevel, grandchild.Level);
        Assert.Same(child, Assert.Single(section.Blocks));
        Assert.Throws<InvalidOperationException>(() => grandchild.AddSubsection("too deep"));
    }

    [Fact]
    public void Blocks_KeepInsertionOrder()
    {
        ReportSection section = new ReportDocument("r").AddSection("s")
            .AddParagraph("p").AddTable(new ReportTable(["a"])).AddFigure("f", AnyChart, "c").AddBulletList(["x"]).AddKeyValues(null, []);

        Assert.Equal([typeof(ParagraphBlock), typeof(ReportTable), typeof(FigureBlock), typeof(BulletListBlock), typeof(KeyValueBlock)],
            section.Blocks.Select(b => b.GetType()));
    }

    [Fact]
    public void AddProvenance_JsonObject_IsStoredIndented_PlainValuesAsGiven()
    {
        var document = new ReportDocument("r");

        document.AddProvenance("config", "{\"k\":6,\"betas\":[\"auto\",0.1]}").AddProvenance("seed", "42").AddProvenance("note", "{not json");

        Assert.Equal("{\n  \"k\": 6,\n  \"betas\": [\n    \"auto\",\n    0.1\n  ]\n}", document.Provenance[0].Value.ReplaceLineEndings("\n"));
        Assert.Equal("42", document.Provenance[1].Value);
        Assert.Equal("{not json", document.Provenance[2].Value);
    }
}

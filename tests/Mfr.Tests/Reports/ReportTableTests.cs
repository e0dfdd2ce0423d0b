using Mfr.Reports;

namespace Mfr.Tests.Reports;

public sealed class ReportTableTests
{
    [Theory]
    [InlineData("0.00132")]
    [InlineData("−21.21%")]
    [InlineData("-0.5")]
    [InlineData("1,024")]
    [InlineData("3072")]
    [InlineData("1.3×10⁻⁵")]
    [InlineData("2.5e-3")]
    [InlineData("0.30 ± 0.02")]
    [InlineData("+7%")]
    public void ResolvedAlignment_NumericCells_RightAligned(string cell)
    {
        var table = new ReportTable(["value"]).AddRow(cell).AddRow("1");

        Assert.Equal(ColumnAlignment.Right, table.ResolvedAlignment(0));
    }

    [Theory]
    [InlineData("Baseline")]
    [InlineData("k = 6")]
    [InlineData("1.2.3")]
    [InlineData("%")]
    [InlineData("12 latents")]
    public void ResolvedAlignment_AnyTextCell_LeftAligned(string cell)
    {
        var table = new ReportTable(["value"]).AddRow("1").AddRow(cell);

        Assert.Equal(ColumnAlignment.Left, table.ResolvedAlignment(0));
    }

    [Fact]
    public void ResolvedAlignment_PlaceholdersDoNotDecide()
    {
        var numbers = new ReportTable(["v"]).AddRow("0.5").AddRow("—").AddRow("n/a").AddRow("");
        var onlyPlaceholders = new ReportTable(["v"]).AddRow("—");

        Assert.Equal(ColumnAlignment.Right, numbers.ResolvedAlignment(0));
        Assert.Equal(ColumnAlignment.Left, onlyPlaceholders.ResolvedAlignment(0));
    }

    [Fact]
    public void WithAlignment_OverridesDetection()
    {
        var table = new ReportTable(["k", "name"]).AddRow("6", "a").WithAlignment(0, ColumnAlignment.Center).WithAlignment(1, ColumnAlignment.Right);

        Assert.Equal(ColumnAlignment.Center, table.ResolvedAlignment(0));
        Assert.Equal(ColumnAlignment.Right, table.ResolvedAlignment(1));
    }

    [Fact]
    public void AddRow_WrongCellCount_NamesRowAndColumns()
    {
        var table = new ReportTable(["a", "b", "c"]).AddRow("1", "2", "3");

        var error = Assert.Throws<ArgumentException>(() => table.AddRow("1", "2"));
        Assert.Contains("Row 2 has 2 cells", error.Message);
        Assert.Contains("3 columns", error.Message);
    }

    [Fact]
    public void Constructor_NoColumns_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ReportTable([]));
    }
}

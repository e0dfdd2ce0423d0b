using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

/// <summary>Mistakes a caller can make are reported as ArgumentException naming the series and the shapes.</summary>
public sealed class ChartValidationTests
{
    [Fact]
    public void AddLine_LengthMismatch_NamesSeriesAndBothLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => new Chart().AddLine("loss", [1, 2, 3], [1, 2]));

        Assert.Contains("loss", error.Message);
        Assert.Contains("[3]", error.Message);
        Assert.Contains("[2]", error.Message);
    }

    [Fact]
    public void AddHistogram_EdgesNotOneLongerOrNotIncreasing_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Chart().AddHistogram("h", [0, 1, 2], [1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new Chart().AddHistogram("h", [0, 2, 1], [1, 2]));
    }

    [Fact]
    public void AddBars_DuplicateCategoriesOrLengthMismatch_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Chart().AddBars("b", ["6", "6"], [1, 2]));
        Assert.Throws<ArgumentException>(() => new Chart().AddBars("b", ["6", "12"], [1]));
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#12345")]
    [InlineData("#1234567")]
    [InlineData("#12345g")]
    [InlineData("\"/><script>")]
    public void Color_NotHexRrggbb_Throws(string color)
    {
        Assert.Throws<ArgumentException>(() => new Chart().AddLine("a", [0], [0], color: color));
    }

    [Fact]
    public void Axis_BadFixedEnds_Throw()
    {
        Assert.Throws<ArgumentException>(() => new Chart().WithYAxis("y", min: 2, max: 1));
        Assert.Throws<ArgumentException>(() => new Chart().WithYAxis("y", scale: ScaleKind.Log, min: 0));
        Assert.Throws<ArgumentException>(() => new Chart().WithXAxis("x", max: double.NaN));
    }

    [Fact]
    public void SeriesOptions_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentException>(() => new Chart().AddScatter("s", [0], [0], opacity: 0));
        Assert.Throws<ArgumentException>(() => new Chart().AddScatter("s", [0], [0], radiusPx: 50));
        Assert.Throws<ArgumentException>(() => new Chart().AddLine("l", [0], [0], widthPx: double.NaN));
    }

    [Fact]
    public void TinyFigureWithLongLabels_ThrowsAClearMessageInsteadOfDrawingGarbage()
    {
        Chart chart = new Chart("A title").WithSubtitle("subtitle").WithXAxis("x").WithYAxis("y").WithSize(160, 120).AddLine("a", [0, 1], [0, 1]);

        var error = Assert.Throws<ArgumentException>(chart.ToSvg);
        Assert.Contains("160 x 120", error.Message);
    }
}

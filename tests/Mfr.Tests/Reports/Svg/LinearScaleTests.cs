using Mfr.Reports.Svg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Reports.Svg;

public sealed class LinearScaleTests
{
    [Fact]
    public void Map_EndsAndMidpoint_GoToRangeEndsAndMidpoint()
    {
        var scale = new LinearScale(-2, 6, 100, 500);

        Assert.Equal(100, scale.Map(-2));
        Assert.Equal(500, scale.Map(6));
        Assert.Equal(300, scale.Map(2));
    }

    [Fact]
    public void Map_ReversedRange_PutsLargerValuesAtSmallerPixels()
    {
        // Given a y axis: value 0 at the bottom (pixel 380), 10 at the top (pixel 20)
        var scale = new LinearScale(0, 10, 380, 20);

        // Then
        Assert.Equal(380, scale.Map(0));
        Assert.Equal(20, scale.Map(10));
        Assert.Equal(308, scale.Map(2), 10);
    }

    [Fact]
    public void Invert_UndoesMap()
    {
        var scale = new LinearScale(0.001, 0.0016, 57.5, 603.25);
        foreach (double value in new[] { 0.001, 0.00123, 0.0016, 0.002, -0.5 })
        {
            AssertClose.Equal(value, scale.Invert(scale.Map(value)), 1e-15, 1e-12);
        }
    }

    [Fact]
    public void Map_OutsideDomain_Extrapolates()
    {
        var scale = new LinearScale(0, 1, 0, 100);

        Assert.Equal(150, scale.Map(1.5), 10);
        Assert.Equal(-50, scale.Map(-0.5), 10);
    }

    [Theory]
    [InlineData(double.NaN, 1, 0, 100)]
    [InlineData(0, double.PositiveInfinity, 0, 100)]
    [InlineData(1, 1, 0, 100)]
    [InlineData(2, 1, 0, 100)]
    [InlineData(0, 1, 50, 50)]
    [InlineData(0, 1, 0, double.NaN)]
    public void Constructor_BadDomainOrRange_Throws(double min, double max, double start, double end)
    {
        Assert.Throws<ArgumentException>(() => new LinearScale(min, max, start, end));
    }

    [Fact]
    public void Nice_ExtendsDomainToTickSteps()
    {
        // 0.74 / 10 = 0.074 -> step 0.1 (d3: error 7.4 >= sqrt(50) picks factor 10), so 0.13..0.87 becomes 0.1..0.9.
        LinearScale nice = new LinearScale(0.13, 0.87, 0, 100).Nice(10);

        Assert.Equal(0.1, nice.DomainMin);
        Assert.Equal(0.9, nice.DomainMax);
    }

    [Fact]
    public void CanMap_RejectsOnlyNonFinite()
    {
        var scale = new LinearScale(0, 1, 0, 100);

        Assert.True(scale.CanMap(-1e300));
        Assert.False(scale.CanMap(double.NaN));
        Assert.False(scale.CanMap(double.NegativeInfinity));
    }
}

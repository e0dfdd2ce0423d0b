using System.Xml.Linq;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

/// <summary>
/// Histograms with a zero bin (paper figure 5: firing frequencies on a log axis, with the latents that
/// never fired counted in a bar of their own left of an axis break).
/// </summary>
public sealed class HistogramZeroBinTests
{
    // Log-spaced bins over [1e-4, 1], two per decade, as the firing-frequency figure uses.
    private static readonly double[] Edges = [1e-4, Math.Sqrt(10) * 1e-4, 1e-3, Math.Sqrt(10) * 1e-3, 1e-2, Math.Sqrt(10) * 1e-2, 1e-1, Math.Sqrt(10) * 1e-1, 1];
    private static readonly double[] Counts = [2, 0, 5, 40, 300, 120, 30, 1];

    private static Chart FiringChart(double? zeroCount = 17) => new Chart()
        .WithXAxis("firing frequency", scale: ScaleKind.Log)
        .WithYAxis("latents")
        .WithZeroBinLabel("never")
        .AddHistogram("baseline", Edges, Counts, zeroCount: zeroCount);

    private static XElement SeriesGroup(Chart chart) => new SvgProbe(chart.ToSvg()).WithClasses("series", "histogram").Single();

    [Fact]
    public void Bins_OneRectanglePerNonEmptyBin_SpanningItsLogEdges_RightOfTheZeroColumn()
    {
        // Given
        Chart chart = FiringChart();
        PanelLayout layout = chart.Layout();

        // When
        XElement series = SeriesGroup(chart);
        List<XElement> bins = SvgProbe.Named(series, "rect").Where(r => !SvgProbe.HasClasses(r, "zero-bin")).ToList();

        // Then seven non-empty bins, each from the pixel of its lower edge to that of its upper edge
        int[] drawn = [0, 2, 3, 4, 5, 6, 7];
        Assert.Equal(drawn.Length, bins.Count);
        Rect column = layout.ZeroBin!.Value;
        for (int r = 0; r < bins.Count; r++)
        {
            int bin = drawn[r];
            Assert.Equal(layout.X!.Map(Edges[bin]), SvgProbe.Number(bins[r], "x"), 0.006);
            Assert.Equal(layout.X.Map(Edges[bin + 1]) - layout.X.Map(Edges[bin]), SvgProbe.Number(bins[r], "width"), 0.011);
            Assert.Equal(layout.Y.Map(0) - layout.Y.Map(Counts[bin]), SvgProbe.Number(bins[r], "height"), 0.011);
            Assert.True(SvgProbe.Number(bins[r], "x") >= column.Right + Theme.ZeroBinGap - 0.01, $"bin {bin} starts inside the zero column or the axis break");
        }
    }

    [Fact]
    public void ZeroCount_OneBarInsideTheZeroColumn_AsHighAsTheCount()
    {
        // Given
        Chart chart = FiringChart(zeroCount: 17);
        PanelLayout layout = chart.Layout();

        // When
        XElement zero = SvgProbe.WithClasses(SeriesGroup(chart), "zero-bin").Single();

        // Then
        Rect column = layout.ZeroBin!.Value;
        Assert.Equal(layout.Plot.Left, column.Left, 0.001);
        Assert.True(SvgProbe.Number(zero, "x") >= column.Left && SvgProbe.Number(zero, "x") + SvgProbe.Number(zero, "width") <= column.Right);
        Assert.Equal(layout.Y.Map(0) - layout.Y.Map(17), SvgProbe.Number(zero, "height"), 0.011);
        Assert.Equal(layout.Y.Map(0), SvgProbe.Number(zero, "y") + SvgProbe.Number(zero, "height"), 0.02);
    }

    [Fact]
    public void XAxis_HasTheZeroTickUnderTheColumn_ThenTheDecades_AndABreakBetween()
    {
        // Given
        Chart chart = FiringChart();
        PanelLayout layout = chart.Layout();
        var probe = new SvgProbe(chart.ToSvg());

        // When
        XElement axis = probe.WithClasses("axis", "x").Single();
        XElement zeroTick = SvgProbe.WithClasses(axis, "tick", "zero-bin").Single();

        // Then the zero tick comes first, at the column's centre, followed by the log scale's decade labels
        Assert.Equal("never", SvgProbe.Texts(zeroTick).Single());
        Assert.Equal(layout.ZeroBin!.Value.CenterX, SvgProbe.Number(SvgProbe.Named(zeroTick, "text").Single(), "x"), 0.006);
        string[] scaleLabels = layout.XTicks.Where(t => t.IsLabelled).Select(t => t.Label).ToArray();
        Assert.Equal(["never", .. scaleLabels], SvgProbe.Texts(axis));
        Assert.Contains("10\u207B\u2074", scaleLabels);
        Assert.Contains("1", scaleLabels);
        Assert.Single(SvgProbe.WithClasses(axis, "axis-break"));
        // the scale begins after the column and the break, and the decade ticks sit where the scale puts them
        Assert.True(layout.X!.RangeStart >= layout.ZeroBin.Value.Right + Theme.ZeroBinGap - 0.001);
        Assert.Equal(1e-4, layout.X.DomainMin, 12);
        Assert.Equal(1, layout.X.DomainMax, 12);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("never")]
    [InlineData("never fired")]
    public void ZeroLabel_AndTheScalesFirstLabel_KeepTheLabelGapApart(string zeroLabel)
    {
        // Given a log axis whose first labelled tick is the domain's lower end, right after the break
        Chart chart = FiringChart().WithZeroBinLabel(zeroLabel);
        PanelLayout layout = chart.Layout();

        // When
        AxisTick first = layout.XTicks.First(t => t.IsLabelled);

        // Then the two labels' extents are at least the label gap apart
        double zeroRight = layout.ZeroBin!.Value.CenterX + TextMetrics.Width(zeroLabel, Theme.FontSize) / 2;
        double firstLeft = layout.X!.Map(first.Value) - TextMetrics.Width(first.Label, Theme.FontSize) / 2;
        Assert.True(firstLeft - zeroRight >= Theme.LabelGap - 0.01, $"'{zeroLabel}' ends at {zeroRight:F1} px, '{first.Label}' starts at {firstLeft:F1} px");
        Assert.True(layout.ZeroBin.Value.Width >= TextMetrics.Width(zeroLabel, Theme.FontSize), "the zero column is narrower than its label");
    }

    [Fact]
    public void ZeroCountOfZero_KeepsTheColumnAndItsTick_WithoutABar()
    {
        Chart chart = FiringChart(zeroCount: 0);

        var probe = new SvgProbe(chart.ToSvg());

        Assert.NotNull(chart.Layout().ZeroBin);
        Assert.Empty(SvgProbe.WithClasses(SeriesGroup(chart), "zero-bin"));
        Assert.Single(SvgProbe.WithClasses(probe.WithClasses("axis", "x").Single(), "tick", "zero-bin"));
    }

    [Fact]
    public void WithoutZeroCount_NoColumn_TheScaleStartsAtThePlotsLeftEdge()
    {
        Chart chart = FiringChart(zeroCount: null);
        PanelLayout layout = chart.Layout();

        var probe = new SvgProbe(chart.ToSvg());

        Assert.Null(layout.ZeroBin);
        Assert.Equal(layout.Plot.Left, layout.X!.RangeStart, 0.001);
        Assert.Empty(probe.WithClasses("zero-bin"));
        Assert.Empty(probe.WithClasses("axis-break"));
    }

    [Fact]
    public void ZeroCountAboveEveryBin_SetsTheTopOfTheYAxis()
    {
        PanelLayout layout = FiringChart(zeroCount: 450).Layout();

        Assert.True(layout.Y.DomainMax >= 450, $"y axis ends at {layout.Y.DomainMax}, below the zero bin's 450");
        Assert.Equal(0, layout.Y.DomainMin);
    }

    [Fact]
    public void LogCounts_ZeroBinStandsOnThePlotBottom()
    {
        Chart chart = new Chart().WithXAxis("f", scale: ScaleKind.Log).WithYAxis("latents", scale: ScaleKind.Log).AddHistogram("h", Edges, Counts, zeroCount: 1);
        PanelLayout layout = chart.Layout();

        XElement zero = SvgProbe.WithClasses(SeriesGroup(chart), "zero-bin").Single();

        Assert.Equal(layout.Plot.Bottom, SvgProbe.Number(zero, "y") + SvgProbe.Number(zero, "height"), 0.02);
        Assert.True(SvgProbe.Number(zero, "height") > 10, "a count of 1 must stay visible on a log axis");
    }

    [Fact]
    public void SharedX_APanelWithoutZeroBin_GetsTheColumnToo_SoTheScalesLineUp()
    {
        // Given one panel with a zero bin and one without
        Chart withZero = FiringChart(zeroCount: 5);
        Chart without = new Chart().WithXAxis("firing frequency", scale: ScaleKind.Log).AddHistogram("mfr", Edges, Counts);
        Figure figure = new Figure().AddPanel(withZero).AddPanel(without).WithSharedX().WithSharedY();

        // When
        IReadOnlyList<PanelLayout> layouts = figure.PanelLayouts();

        // Then both have a zero column, and their scales start at the same offset from the plot
        Assert.All(layouts, l => Assert.NotNull(l.ZeroBin));
        Assert.Equal(layouts[0].X!.RangeStart - layouts[0].Plot.Left, layouts[1].X!.RangeStart - layouts[1].Plot.Left, 0.001);
        Assert.Equal(2, new SvgProbe(figure.ToSvg()).WithClasses("tick", "zero-bin").Count);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ZeroCount_NegativeOrNotFinite_Throws(double zeroCount)
    {
        var error = Assert.Throws<ArgumentException>(() => new Chart().AddHistogram("dead", Edges, Counts, zeroCount: zeroCount));

        Assert.Contains("dead", error.Message);
    }
}

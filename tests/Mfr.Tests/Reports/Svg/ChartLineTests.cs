using System.Xml.Linq;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

public sealed class ChartLineTests
{
    private static readonly double[] Xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    private static XElement LinePath(SvgProbe probe) => probe.WithClasses("series", "line").Single();

    [Fact]
    public void TenPoints_GiveOnePathWithTenCoordinates()
    {
        var probe = new SvgProbe(new Chart().AddLine("a", Xs, Xs.Select(x => x * x).ToArray()).ToSvg());

        var subpaths = SvgProbe.Subpaths((string)LinePath(probe).Attribute("d")!);
        Assert.Single(subpaths);
        Assert.Equal(10, subpaths[0].Count);
    }

    [Fact]
    public void Coordinates_AreTheScaledPointsInsideThePlot()
    {
        // Given
        double[] ys = [0.3, -1.2, 4.4, 2.0, 0.0, 1.1, 3.3, 2.2, -0.5, 1.0];
        Chart chart = new Chart().AddLine("a", Xs, ys);
        PanelLayout layout = chart.Layout();

        // When
        var points = SvgProbe.Subpaths((string)LinePath(new SvgProbe(chart.ToSvg())).Attribute("d")!).Single();

        // Then
        for (int i = 0; i < Xs.Length; i++)
        {
            Assert.Equal(layout.X!.Map(Xs[i]), points[i].X, 0.006);
            Assert.Equal(layout.Y.Map(ys[i]), points[i].Y, 0.006);
            Assert.True(layout.Plot.Inflate(0.01).Contains(points[i].X, points[i].Y), $"point {i} outside the plot");
        }
    }

    [Fact]
    public void NaNAndInfinity_AreSkippedAndBreakTheLine()
    {
        double[] ys = [1, 2, 3, double.NaN, 5, 6, 7, double.PositiveInfinity, 9, 10];

        var subpaths = SvgProbe.Subpaths((string)LinePath(new SvgProbe(new Chart().AddLine("a", Xs, ys).ToSvg())).Attribute("d")!);

        Assert.Equal([3, 3, 2], subpaths.Select(s => s.Count));
    }

    [Fact]
    public void LogAxis_SkipsZeroAndNegativeValues()
    {
        double[] ys = [1, 10, 0, 100, -5, 1000, 10, 1, 0.1, 0.01];

        var subpaths = SvgProbe.Subpaths((string)LinePath(new SvgProbe(new Chart().WithYAxis("y", scale: ScaleKind.Log).AddLine("a", Xs, ys).ToSvg())).Attribute("d")!);

        // Runs 1-10 | 100 | 1000..0.01; the lone 100 is drawn as a zero-length segment (a dot with round caps).
        Assert.Equal([2, 2, 5], subpaths.Select(s => s.Count));
        Assert.Equal(subpaths[1][0], subpaths[1][1]);
    }

    [Fact]
    public void Styles_SetDashArrayOnlyWhenNotSolid()
    {
        var probe = new SvgProbe(new Chart()
            .AddLine("solid", Xs, Xs).AddLine("dashed", Xs, Xs, LineStyle.Dashed).AddLine("dotted", Xs, Xs, LineStyle.Dotted).ToSvg());

        var dashes = probe.WithClasses("series", "line").Select(p => (string?)p.Attribute("stroke-dasharray")).ToList();
        Assert.Null(dashes[0]);
        Assert.NotNull(dashes[1]);
        Assert.NotNull(dashes[2]);
        Assert.NotEqual(dashes[1], dashes[2]);
    }

    [Fact]
    public void Colors_FollowTheOkabeItoCycleUnlessGiven()
    {
        var probe = new SvgProbe(new Chart().AddLine("a", Xs, Xs).AddLine("b", Xs, Xs).AddLine("c", Xs, Xs, color: "#123456").ToSvg());

        Assert.Equal([Palette.Cycle[0], Palette.Cycle[1], "#123456"], probe.WithClasses("series", "line").Select(p => (string?)p.Attribute("stroke")));
    }

    [Fact]
    public void Markers_OneSymbolPerDrawablePoint()
    {
        double[] ys = [1, 2, 3, double.NaN, 5, 6, 7, 8, 9, 10];

        var probe = new SvgProbe(new Chart().AddLine("a", Xs, ys, marker: MarkerShape.Circle).AddLine("b", Xs, Xs, marker: MarkerShape.Square).ToSvg());

        List<XElement> groups = probe.WithClasses("series", "markers");
        Assert.Equal(9, SvgProbe.Named(groups[0], "circle").Count);
        Assert.Equal(10, SvgProbe.Named(groups[1], "rect").Count);
    }

    [Fact]
    public void MarkersAtTheEndsOfTheData_AreDrawnWhollyInsideTheFrame()
    {
        // Given a loss per k whose first and last points sit at the ends of the x axis (a sweep's k = 4 and 8)
        Chart chart = new Chart().AddLine("MFR", [4, 6, 8], [0.6, 0.5, 0.4], marker: MarkerShape.Circle);
        PanelLayout layout = chart.Layout();

        // When
        List<XElement> circles = SvgProbe.Named(new SvgProbe(chart.ToSvg()).WithClasses("series", "markers").Single(), "circle");

        // Then no marker crosses the frame
        Assert.Equal(3, circles.Count);
        foreach (XElement circle in circles)
        {
            double cx = SvgProbe.Number(circle, "cx"), cy = SvgProbe.Number(circle, "cy"), r = SvgProbe.Number(circle, "r");
            Assert.True(cx - r > layout.Plot.Left && cx + r < layout.Plot.Right && cy - r > layout.Plot.Top && cy + r < layout.Plot.Bottom,
                $"marker at ({cx}, {cy}) r {r} crosses the frame {layout.Plot}");
        }
    }

    [Fact]
    public void LongMonotoneLine_IsDecimatedKeepingItsExtremes()
    {
        // Given 20,000 points, far more than the plot's ~600 pixel columns, with one spike up and one down
        int count = 20_000;
        double[] x = Enumerable.Range(0, count).Select(i => (double)i).ToArray();
        double[] y = x.Select(i => Math.Sin(i / 500.0) + (i == 7_777 ? 5 : i == 12_345 ? -5 : 0)).ToArray();
        Chart chart = new Chart().AddLine("long", x, y);
        PanelLayout layout = chart.Layout();

        // When
        var points = SvgProbe.Subpaths((string)LinePath(new SvgProbe(chart.ToSvg())).Attribute("d")!).Single();

        // Then at most 4 points per pixel column remain, and both spikes survive
        Assert.InRange(points.Count, (int)layout.Plot.Width, 4 * ((int)layout.Plot.Width + 1));
        Assert.Equal(layout.Y.Map(y[7_777]), points.Min(p => p.Y), 0.006);
        Assert.Equal(layout.Y.Map(y[12_345]), points.Max(p => p.Y), 0.006);
    }

    [Fact]
    public void LongNonMonotoneLine_IsNotDecimated()
    {
        int count = 3_000;
        double[] x = Enumerable.Range(0, count).Select(i => Math.Cos(i * 0.01)).ToArray();
        double[] y = Enumerable.Range(0, count).Select(i => Math.Sin(i * 0.01)).ToArray();

        var points = SvgProbe.Subpaths((string)LinePath(new SvgProbe(new Chart().AddLine("circle", x, y).ToSvg())).Attribute("d")!).Single();

        Assert.Equal(count, points.Count);
    }
}

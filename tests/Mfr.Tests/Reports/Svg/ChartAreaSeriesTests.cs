using System.Xml.Linq;
using Mfr.Numerics;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

/// <summary>Scatter, histogram and bar series.</summary>
public sealed class ChartAreaSeriesTests
{
    public sealed class Scatter
    {
        [Fact]
        public void ManyPoints_OneTranslucentCirclePerPointInsideThePlot()
        {
            // Given 3072 latents, as in the GPT-2 experiment
            var rng = new Rng(11);
            double[] x = new double[3072], y = new double[3072];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = rng.NextDouble();
                y[i] = rng.NextDouble();
            }
            Chart chart = new Chart().AddScatter("latents", x, y, opacity: 0.3);
            PanelLayout layout = chart.Layout();

            // When
            XElement group = new SvgProbe(chart.ToSvg()).WithClasses("series", "scatter").Single();

            // Then
            List<XElement> circles = SvgProbe.Named(group, "circle");
            Assert.Equal(3072, circles.Count);
            Assert.Equal("0.3", (string?)group.Attribute("fill-opacity"));
            Assert.All(circles, c => Assert.True(layout.Plot.Inflate(0.06).Contains(SvgProbe.Number(c, "cx"), SvgProbe.Number(c, "cy"))));
        }

        [Fact]
        public void NonFinitePoints_AreSkipped()
        {
            double[] x = [0, 1, double.NaN, 3, 4, 5], y = [0, 1, 2, double.NegativeInfinity, 4, 5];

            XElement group = new SvgProbe(new Chart().AddScatter("a", x, y).ToSvg()).WithClasses("series", "scatter").Single();

            Assert.Equal(4, SvgProbe.Named(group, "circle").Count);
        }

        [Fact]
        public void PointsOutsideAFixedRange_AreDropped()
        {
            XElement group = new SvgProbe(new Chart().WithXAxis("x", min: 0, max: 1).AddScatter("a", [-0.5, 0.5, 1.5], [1, 2, 3]).ToSvg())
                .WithClasses("series", "scatter").Single();

            Assert.Single(SvgProbe.Named(group, "circle"));
        }

        [Fact]
        public void PointsAtTheEndsOfAFixedRange_AreDrawnWhollyInsideTheFrame()
        {
            // Given latents at cosine 1 on both axes of a [0, 1] x [0, 1] chart (paper figure 3 of a collapsed pair)
            Chart chart = new Chart().WithXAxis("x", min: 0, max: 1).WithYAxis("y", min: 0, max: 1).AddScatter("a", [0, 1, 1], [0, 1, 0.5], radiusPx: 3);
            PanelLayout layout = chart.Layout();

            // When
            List<XElement> circles = SvgProbe.Named(new SvgProbe(chart.ToSvg()).WithClasses("series", "scatter").Single(), "circle");

            // Then every dot, radius included, lies inside the plot frame
            Assert.Equal(3, circles.Count);
            foreach (XElement circle in circles)
            {
                double cx = SvgProbe.Number(circle, "cx"), cy = SvgProbe.Number(circle, "cy"), r = SvgProbe.Number(circle, "r");
                Assert.True(cx - r > layout.Plot.Left && cx + r < layout.Plot.Right && cy - r > layout.Plot.Top && cy + r < layout.Plot.Bottom,
                    $"dot at ({cx}, {cy}) r {r} crosses the frame {layout.Plot}");
            }
        }
    }

    public sealed class Histogram
    {
        private static readonly double[] Edges = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        private static readonly double[] Counts = [3, 0, 5, 8, 0, 2, 1, 7, 4, 6];

        [Fact]
        public void Bins_OneRectanglePerNonEmptyBinSpanningItsEdges()
        {
            // Given
            Chart chart = new Chart().AddHistogram("h", Edges, Counts);
            PanelLayout layout = chart.Layout();

            // When
            XElement group = new SvgProbe(chart.ToSvg()).WithClasses("series", "histogram").Single();

            // Then
            List<XElement> rects = SvgProbe.Named(group, "rect");
            int[] drawn = [0, 2, 3, 5, 6, 7, 8, 9];
            Assert.Equal(drawn.Length, rects.Count);
            for (int r = 0; r < rects.Count; r++)
            {
                int bin = drawn[r];
                Assert.Equal(layout.X!.Map(Edges[bin]), SvgProbe.Number(rects[r], "x"), 0.006);
                Assert.Equal(layout.X.Map(Edges[bin + 1]) - layout.X.Map(Edges[bin]), SvgProbe.Number(rects[r], "width"), 0.011);
                Assert.Equal(layout.Y.Map(Counts[bin]), SvgProbe.Number(rects[r], "y"), 0.006);
                Assert.Equal(layout.Y.Map(0) - layout.Y.Map(Counts[bin]), SvgProbe.Number(rects[r], "height"), 0.011);
            }
        }

        [Fact]
        public void LinearCounts_AxisStartsAtZero()
        {
            PanelLayout layout = new Chart().AddHistogram("h", [0, 1, 2], [50, 60]).Layout();

            Assert.Equal(0, layout.Y.DomainMin);
        }

        [Fact]
        public void LogCounts_SkipZeroBinsAndLeaveRoomUnderTheSmallestBar()
        {
            // Given
            Chart chart = new Chart().WithYAxis("count", scale: ScaleKind.Log).AddHistogram("h", Edges, Counts);
            PanelLayout layout = chart.Layout();

            // When
            List<XElement> rects = SvgProbe.Named(new SvgProbe(chart.ToSvg()).WithClasses("series", "histogram").Single(), "rect");

            // Then bars stand on the plot bottom, and the smallest count (1) still has height
            Assert.Equal(8, rects.Count);
            Assert.Equal(0.5, layout.Y.DomainMin);
            Assert.All(rects, r => Assert.Equal(layout.Plot.Bottom, SvgProbe.Number(r, "y") + SvgProbe.Number(r, "height"), 0.02));
            Assert.All(rects, r => Assert.True(SvgProbe.Number(r, "height") > 10));
        }

        [Fact]
        public void LogBins_SkipBinsWithNonPositiveEdges()
        {
            Chart chart = new Chart().WithXAxis("f", scale: ScaleKind.Log).AddHistogram("h", [0, 1e-3, 1e-2, 1e-1], [4, 5, 6]);

            Assert.Equal(2, SvgProbe.Named(new SvgProbe(chart.ToSvg()).WithClasses("series", "histogram").Single(), "rect").Count);
        }
    }

    public sealed class Bars
    {
        private static readonly string[] Ks = ["6", "12", "18", "24", "30"];
        private static readonly double[] Baseline = [0.00160, 0.00121, 0.00097, 0.00083, 0.00072];
        private static readonly double[] Mfr = [0.00132, 0.00105, 0.00090, 0.00079, 0.00070];

        private static Chart Chart() => new Chart().AddBars("Baseline", Ks, Baseline).AddBars("MFR", Ks, Mfr);

        [Fact]
        public void TwoSeriesFiveCategories_TenBarsSideBySideWithProportionalHeights()
        {
            // Given
            PanelLayout layout = Chart().Layout();

            // When
            var probe = new SvgProbe(Chart().ToSvg());

            // Then
            List<XElement> groups = probe.WithClasses("series", "bars");
            Assert.Equal(2, groups.Count);
            List<XElement> baseline = SvgProbe.Named(groups[0], "rect"), mfr = SvgProbe.Named(groups[1], "rect");
            Assert.Equal(5, baseline.Count);
            Assert.Equal(5, mfr.Count);
            double baselineFloor = layout.Y.Map(0);
            for (int i = 0; i < Ks.Length; i++)
            {
                Assert.True(SvgProbe.Number(baseline[i], "x") + SvgProbe.Number(baseline[i], "width") <= SvgProbe.Number(mfr[i], "x") + 0.01);
                Assert.Equal(baselineFloor - layout.Y.Map(Baseline[i]), SvgProbe.Number(baseline[i], "height"), 0.011);
                Assert.Equal(Baseline[i] / Mfr[i], SvgProbe.Number(baseline[i], "height") / SvgProbe.Number(mfr[i], "height"), 2);
            }
            Assert.Equal(Ks, SvgProbe.Texts(probe.WithClasses("axis", "x").Single()));
        }

        [Fact]
        public void Categories_AreUnitedInFirstSeenOrder()
        {
            PanelLayout layout = new Chart().AddBars("a", ["x", "y"], [1, 2]).AddBars("b", ["y", "z"], [3, 4]).Layout();

            Assert.Equal(["x", "y", "z"], layout.XBand!.Categories);
        }

        [Fact]
        public void BarValues_OneLabelPerBarWithSharedDecimals()
        {
            var probe = new SvgProbe(Chart().WithBarValues().ToSvg());

            List<string> labels = SvgProbe.Texts(probe.WithClasses("bar-values").Single());
            Assert.Equal(["0.00160", "0.00121", "0.00097", "0.00083", "0.00072", "0.00132", "0.00105", "0.00090", "0.00079", "0.00070"], labels);
        }

        [Fact]
        public void MixingBarsWithOtherSeries_Throws()
        {
            Assert.Throws<ArgumentException>(() => new Chart().AddLine("l", [0, 1], [0, 1]).AddBars("b", ["a"], [1]));
            Assert.Throws<ArgumentException>(() => new Chart().AddBars("b", ["a"], [1]).AddScatter("s", [0], [1]));
            Assert.Throws<ArgumentException>(() => new Chart().AddBars("b", ["a"], [1]).AddVerticalMarker(1));
        }
    }
}

using Mfr.Numerics;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

public sealed class LegendTests
{
    [Fact]
    public void Auto_RisingLines_AvoidTheTopRightCorner()
    {
        // Given lines running from bottom-left to top-right (training accuracy, recovery)
        double[] x = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        Chart chart = new Chart().AddLine("baseline", x, x.Select(v => v * v).ToArray()).AddLine("MFR", x, x.Select(v => 1.1 * v * v).ToArray());

        // When
        PanelLayout layout = chart.Layout();

        // Then the legend sits in the free top-left corner, inside the plot
        Rect box = layout.Legend!.Box;
        Assert.True(box.Left < layout.Plot.CenterX && box.Top < layout.Plot.CenterY, $"legend at {box}");
        Assert.True(box.Left >= layout.Plot.Left && box.Right <= layout.Plot.Right);
    }

    [Fact]
    public void Auto_FallingLines_UseTheTopRightCorner()
    {
        double[] x = Enumerable.Range(1, 50).Select(i => (double)i).ToArray();

        PanelLayout layout = new Chart().AddLine("loss", x, x.Select(v => 1 / v).ToArray()).Layout();

        Rect box = layout.Legend!.Box;
        Assert.True(box.Left > layout.Plot.CenterX && box.Top < layout.Plot.CenterY, $"legend at {box}");
    }

    [Fact]
    public void Auto_DataEverywhere_PutsTheLegendOutsideOnTheRight()
    {
        var rng = new Rng(3);
        double[] x = new double[4000], y = new double[4000];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextDouble();
            y[i] = rng.NextDouble();
        }

        PanelLayout layout = new Chart().AddScatter("latents", x, y).Layout();

        Assert.True(layout.Legend!.Box.Left > layout.Plot.Right, $"legend at {layout.Legend.Box}, plot right {layout.Plot.Right}");
        Assert.True(layout.Legend.Box.Right <= layout.Region.Right);
    }

    [Fact]
    public void None_OrNoNamedSeries_DrawsNoLegend()
    {
        Assert.Empty(new SvgProbe(new Chart().AddLine("a", [0, 1], [0, 1]).WithLegend(LegendPosition.None).ToSvg()).WithClasses("legend"));
        Assert.Empty(new SvgProbe(new Chart().AddLine("", [0, 1], [0, 1]).ToSvg()).WithClasses("legend"));
    }

    [Theory]
    [InlineData(LegendPosition.TopLeft, true, true)]
    [InlineData(LegendPosition.TopRight, false, true)]
    [InlineData(LegendPosition.BottomLeft, true, false)]
    [InlineData(LegendPosition.BottomRight, false, false)]
    public void FixedCorner_IsHonoured(LegendPosition position, bool left, bool top)
    {
        PanelLayout layout = new Chart().AddLine("a", [0, 1], [0, 1]).WithLegend(position).Layout();

        Rect box = layout.Legend!.Box;
        Assert.Equal(left, box.CenterX < layout.Plot.CenterX);
        Assert.Equal(top, box.CenterY < layout.Plot.CenterY);
    }
}

using System.Text.RegularExpressions;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

public sealed class FigureTests
{
    private static Chart Panel(string title, double scale) =>
        new Chart(title).WithXAxis("x").WithYAxis("y").AddLine("a", [0, 1, 2, 3], [0, scale, 2 * scale, 1.5 * scale]);

    [Fact]
    public void SideBySide_SharesTheYRangeCoveringBothPanelsAndAlignsPlots()
    {
        // Given a left panel up to 2 and a right panel up to 20
        Figure figure = Figure.SideBySide(Panel("Baseline", 1), Panel("MFR", 10));

        // When
        IReadOnlyList<PanelLayout> layouts = figure.PanelLayouts();
        var probe = new SvgProbe(figure.ToSvg());

        // Then
        Assert.Equal(layouts[0].Y.DomainMin, layouts[1].Y.DomainMin);
        Assert.Equal(layouts[0].Y.DomainMax, layouts[1].Y.DomainMax);
        Assert.True(layouts[0].Y.DomainMax >= 20);
        Assert.Equal(layouts[0].Plot.Top, layouts[1].Plot.Top);
        Assert.Equal(layouts[0].Plot.Height, layouts[1].Plot.Height);
        Assert.Equal(layouts[0].Plot.Width, layouts[1].Plot.Width, 6);
        var yLabels = probe.WithClasses("axis", "y").Select(SvgProbe.Texts).ToList();
        Assert.Equal(yLabels[0], yLabels[1]);
        Assert.Single(probe.WithClasses("axis-title", "y"));
    }

    [Fact]
    public void SharedX_UnitesTheXRanges()
    {
        Figure figure = new Figure().AddPanel(new Chart().AddLine("a", [0, 1], [0, 1])).AddPanel(new Chart().AddLine("b", [5, 9], [0, 1])).WithSharedX();

        IReadOnlyList<PanelLayout> layouts = figure.PanelLayouts();

        Assert.Equal((layouts[0].X!.DomainMin, layouts[0].X!.DomainMax), (layouts[1].X!.DomainMin, layouts[1].X!.DomainMax));
        Assert.True(layouts[0].X!.DomainMin <= 0 && layouts[0].X!.DomainMax >= 9);
    }

    [Fact]
    public void Independent_PanelsKeepTheirOwnRanges()
    {
        IReadOnlyList<PanelLayout> layouts = new Figure().AddPanel(Panel("a", 1)).AddPanel(Panel("b", 10)).PanelLayouts();

        Assert.NotEqual(layouts[0].Y.DomainMax, layouts[1].Y.DomainMax);
    }

    [Fact]
    public void SharedYWithDifferentScaleKinds_Throws()
    {
        Figure figure = Figure.SideBySide(Panel("a", 1), Panel("b", 1).WithYAxis("y", scale: ScaleKind.Log));

        Assert.Throws<ArgumentException>(figure.ToSvg);
    }

    [Fact]
    public void Columns_WrapPanelsIntoRows()
    {
        // Given 3 panels, 2 per row, 300 px per row, and a figure title
        Figure figure = new Figure("Grid").WithColumns(2).WithSize(800, 300).AddPanel(Panel("a", 1)).AddPanel(Panel("b", 1)).AddPanel(Panel("c", 1));

        // When
        IReadOnlyList<PanelLayout> layouts = figure.PanelLayouts();
        var probe = new SvgProbe(figure.ToSvg());

        // Then
        Assert.Equal("630", (string?)probe.Root.Attribute("height"));
        Assert.Equal(layouts[0].Region.Left, layouts[2].Region.Left);
        Assert.Equal(layouts[0].Region.Top + 300, layouts[2].Region.Top);
        Assert.Equal(3, probe.WithClasses("panel").Count);
        Assert.Equal("Grid", probe.WithClasses("figure-title").Single().Value);
    }

    [Fact]
    public void Empty_RendersAPanelSayingNoData()
    {
        var probe = new SvgProbe(new Figure().ToSvg());

        Assert.Single(probe.WithClasses("no-data"));
    }

    [Fact]
    public void InlineSvg_HasNoNamespaceAndDifferentFiguresGetDifferentClipIds()
    {
        string first = Panel("a", 1).AsFigure().ToInlineSvg(), second = Panel("b", 2).AsFigure().ToInlineSvg();

        Assert.DoesNotContain("xmlns", first);
        string ClipId(string svg) => Regex.Match(svg, "clipPath id=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEqual(ClipId(first), ClipId(second));
        Assert.Equal(ClipId(first), ClipId(Panel("a", 1).AsFigure().ToInlineSvg()));
    }

    [Theory]
    [InlineData(100, 400)]
    [InlineData(640, 50)]
    [InlineData(5000, 400)]
    public void WithSize_OutOfBounds_Throws(int width, int height)
    {
        Assert.Throws<ArgumentException>(() => new Figure().WithSize(width, height));
        Assert.Throws<ArgumentException>(() => new Chart().WithSize(width, height));
    }
}

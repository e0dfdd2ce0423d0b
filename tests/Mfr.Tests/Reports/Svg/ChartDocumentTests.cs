using System.Text.RegularExpressions;
using System.Xml.Linq;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

/// <summary>The SVG document as a whole: structure, escaping, references, axes, legend, degenerate data, determinism.</summary>
public sealed class ChartDocumentTests
{
    private static Chart TwoLines() => new Chart("Loss").WithXAxis("Step").WithYAxis("MSE")
        .AddLine("Baseline", [0, 1, 2, 3], [4, 3, 2.5, 2.2])
        .AddLine("MFR", [0, 1, 2, 3], [4, 2.8, 2.1, 1.9], LineStyle.Dashed);

    [Fact]
    public void ToSvg_IsAStandaloneSvgWithNamespaceViewBoxAndSize()
    {
        var probe = new SvgProbe(TwoLines().WithSize(500, 300).ToSvg());

        Assert.Equal(SvgProbe.Svg + "svg", probe.Root.Name);
        Assert.Equal("500", (string?)probe.Root.Attribute("width"));
        Assert.Equal("300", (string?)probe.Root.Attribute("height"));
        Assert.Equal("0 0 500 300", (string?)probe.Root.Attribute("viewBox"));
        Assert.Contains("sans-serif", (string?)probe.Root.Attribute("font-family"));
    }

    [Fact]
    public void ToSvg_HasNoExternalReferencesAndEveryInternalReferenceResolves()
    {
        var probe = new SvgProbe(TwoLines().ToSvg());

        Assert.DoesNotContain(probe.Root.DescendantsAndSelf().Attributes(), a => a.Name.LocalName == "href");
        Assert.Single(Regex.Matches(probe.Text, "http"));
        var ids = probe.Root.Descendants().Select(e => (string?)e.Attribute("id")).Where(id => id is not null).ToHashSet();
        var references = Regex.Matches(probe.Text, @"url\(#([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Contains(reference, ids));
    }

    [Fact]
    public void ToSvg_SpecialCharactersInLabels_AreEscapedAndReadBackUnchanged()
    {
        // Given every kind of text carrying XML special characters, and a control character XML forbids
        const string nasty = "a<b & c>d \"q\" 'x'";
        var chart = new Chart(nasty).WithSubtitle(nasty).WithXAxis(nasty, "<unit>").WithYAxis(nasty)
            .AddLine(nasty, [0, 1], [0, 1]).AddVerticalMarker(0.5, nasty + "\u0001");

        // When
        var probe = new SvgProbe(chart.ToSvg());

        // Then the document parses and the texts are the originals (the control character dropped)
        List<string> texts = SvgProbe.Texts(probe.Root);
        Assert.Equal(5, texts.Count(t => t == nasty));
        Assert.Contains($"{nasty} (<unit>)", texts);
        Assert.DoesNotContain("<b &", probe.Text);
    }

    [Fact]
    public void ToSvg_SameChartTwice_GivesIdenticalText()
    {
        Assert.Equal(TwoLines().ToSvg(), TwoLines().ToSvg());
    }

    [Fact]
    public void ToSvg_EveryNumberInAttributesIsPlainWithAtMostTwoDecimals()
    {
        var probe = new SvgProbe(TwoLines().ToSvg());

        foreach (XAttribute attribute in probe.Root.DescendantsAndSelf().Attributes())
        {
            if (attribute.Name.LocalName is "class" or "font-family" or "aria-label" or "id" or "xmlns" || attribute.Value.StartsWith("url(", StringComparison.Ordinal)) continue;
            Assert.DoesNotMatch("NaN|Infinity|[eE][+-]", attribute.Value);
            foreach (Match number in Regex.Matches(attribute.Value, @"\d+\.(\d+)"))
            {
                Assert.True(number.Groups[1].Length <= 2, $"{attribute.Name}=\"{attribute.Value}\" has {number.Value}");
            }
        }
    }

    [Fact]
    public void Axes_DrawOneTickGroupPerLayoutTickWithItsLabel()
    {
        // Given
        Chart chart = TwoLines();
        PanelLayout layout = chart.Layout();

        // When
        var probe = new SvgProbe(chart.ToSvg());
        XElement xAxis = probe.WithClasses("axis", "x").Single(), yAxis = probe.WithClasses("axis", "y").Single();

        // Then
        Assert.Equal(layout.XTicks.Count, SvgProbe.WithClasses(xAxis, "tick").Count);
        Assert.Equal(layout.YTicks.Count, SvgProbe.WithClasses(yAxis, "tick").Count);
        Assert.Equal(layout.YTicks.Select(t => t.Label), SvgProbe.Texts(yAxis));
        Assert.Equal(["0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0"], SvgProbe.Texts(xAxis));
    }

    [Fact]
    public void Axes_TitlesCarryLabelAndUnit()
    {
        var probe = new SvgProbe(new Chart().WithXAxis("Training step", "samples").WithYAxis("Loss").AddLine("a", [0, 1], [0, 1]).ToSvg());

        Assert.Equal("Training step (samples)", probe.WithClasses("axis-title", "x").Single().Value);
        Assert.Equal("Loss", probe.WithClasses("axis-title", "y").Single().Value);
    }

    [Fact]
    public void Legend_HasOneEntryPerNamedSeries()
    {
        Chart chart = TwoLines().AddScatter("Points", [1, 2], [3, 3]).AddLine("", [0, 3], [2, 2]);

        var probe = new SvgProbe(chart.ToSvg());

        List<XElement> entries = probe.WithClasses("legend-entry");
        Assert.Equal(["Baseline", "MFR", "Points"], entries.Select(e => SvgProbe.Texts(e).Single()));
    }

    [Fact]
    public void NoDrawableData_ShowsNoDataAndNoSeries()
    {
        var charts = new[]
        {
            new Chart("empty"),
            new Chart("nan").AddLine("a", [double.NaN, 1], [1, double.PositiveInfinity]),
            new Chart("log of zero").WithYAxis("y", scale: ScaleKind.Log).AddScatter("a", [1, 2], [0, -3]),
        };
        foreach (Chart chart in charts)
        {
            var probe = new SvgProbe(chart.ToSvg());

            Assert.Equal("no data", probe.WithClasses("no-data").Single().Value);
            Assert.Empty(probe.WithClasses("series", "line"));
            Assert.DoesNotContain(SvgProbe.Named(probe.Root, "circle"), c => c.Parent is { } p && SvgProbe.HasClasses(p, "scatter"));
        }
    }

    [Fact]
    public void SinglePoint_WidensTheDomainAroundIt()
    {
        Chart chart = new Chart().AddLine("one", [3], [0.5], marker: MarkerShape.Circle);

        PanelLayout layout = chart.Layout();
        var probe = new SvgProbe(chart.ToSvg());

        Assert.True(layout.X!.DomainMin < 3 && layout.X.DomainMax > 3);
        Assert.True(layout.Y.DomainMin < 0.5 && layout.Y.DomainMax > 0.5);
        Assert.True(layout.YTicks.Count >= 2);
        Assert.Single(SvgProbe.Named(probe.WithClasses("series", "markers").Single(), "circle"));
        Assert.Empty(probe.WithClasses("no-data"));
    }

    [Fact]
    public void ConstantData_WidensTheDomainSoTheLineIsInside()
    {
        PanelLayout layout = new Chart().AddLine("flat", [0, 1, 2], [2, 2, 2]).Layout();

        Assert.True(layout.Y.DomainMin < 2 && layout.Y.DomainMax > 2, $"y domain [{layout.Y.DomainMin}, {layout.Y.DomainMax}]");
        Assert.True(layout.YTicks.Count >= 3);
    }

    [Fact]
    public void FixedAxisEnds_AreKeptExactly()
    {
        PanelLayout layout = new Chart().WithYAxis("y", min: 0, max: 1).AddLine("a", [0, 1], [0.13, 0.42]).Layout();

        Assert.Equal(0, layout.Y.DomainMin);
        Assert.Equal(1, layout.Y.DomainMax);
    }
}

using System.Xml.Linq;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

public sealed class ReferenceLineTests
{
    private static readonly double[] Steps = [0, 100, 200, 300, 400, 500];
    private static readonly double[] Loss = [1, 0.5, 0.3, 0.2, 0.15, 0.12];

    [Fact]
    public void VerticalMarkers_OneLineEachAtTheirStepWithLabels()
    {
        // Given
        Chart chart = new Chart().AddLine("loss", Steps, Loss).AddVerticalMarker(37, "re-init SAE 1").AddVerticalMarker(420, "re-init SAE 2");
        PanelLayout layout = chart.Layout();

        // When
        var probe = new SvgProbe(chart.ToSvg());

        // Then
        List<XElement> lines = SvgProbe.Named(probe.WithClasses("reference-lines").Single(), "line");
        Assert.Equal([layout.X!.Map(37), layout.X.Map(420)], lines.Select(l => SvgProbe.Number(l, "x1")), new Tolerance(0.006));
        Assert.All(lines, l => Assert.Equal(layout.Plot.Top, SvgProbe.Number(l, "y1"), 0.006));
        Assert.All(lines, l => Assert.Equal(layout.Plot.Bottom, SvgProbe.Number(l, "y2"), 0.006));
        Assert.Equal(["re-init SAE 1", "re-init SAE 2"], SvgProbe.Texts(probe.WithClasses("reference-labels").Single()));
    }

    [Fact]
    public void CloseMarkers_LabelsAreStackedInsteadOfOverlapping()
    {
        var probe = new SvgProbe(new Chart().AddLine("loss", Steps, Loss)
            .AddVerticalMarker(37, "re-init SAE 1").AddVerticalMarker(38, "re-init SAE 2").AddVerticalMarker(40, "re-init SAE 1").ToSvg());

        List<XElement> labels = SvgProbe.Named(probe.WithClasses("reference-labels").Single(), "text");
        Assert.Equal(3, labels.Count);
        Assert.Equal(3, labels.Select(l => SvgProbe.Number(l, "y")).Distinct().Count());
    }

    [Fact]
    public void HorizontalLine_IsIncludedInTheYRange()
    {
        // Given data up to 1 and the re-init threshold at 2.5
        Chart chart = new Chart().AddLine("delta", [0, 1, 2], [0.2, 0.8, 1]).AddHorizontalLine(2.5, "θ = 2.5");

        // When
        PanelLayout layout = chart.Layout();
        var probe = new SvgProbe(chart.ToSvg());

        // Then
        Assert.True(layout.Y.DomainMax >= 2.5);
        XElement line = SvgProbe.Named(probe.WithClasses("reference-lines").Single(), "line").Single();
        Assert.Equal(layout.Y.Map(2.5), SvgProbe.Number(line, "y1"), 0.006);
        Assert.Equal(layout.Plot.Left, SvgProbe.Number(line, "x1"), 0.006);
        Assert.Equal(layout.Plot.Right, SvgProbe.Number(line, "x2"), 0.006);
    }

    [Fact]
    public void NonFinitePosition_Throws()
    {
        Assert.Throws<ArgumentException>(() => new Chart().AddVerticalMarker(double.NaN));
        Assert.Throws<ArgumentException>(() => new Chart().AddHorizontalLine(double.PositiveInfinity));
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}

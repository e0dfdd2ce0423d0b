using System.Globalization;

namespace Mfr.Reports.Svg;

/// <summary>
/// Lays out a <see cref="Figure"/>'s panels in a grid and writes the SVG document. Layout runs in passes:
/// the first measures the panels (and fixes shared x/y domains); the last gives every panel the largest
/// left margin, header and footer of any panel, so plot areas line up.
/// Clip-path ids are derived from a hash of the drawing, so output is deterministic and two different
/// figures inlined in one HTML page do not share an id (identical figures share identical clip rects).
/// </summary>
internal static class FigureRenderer
{
    public static string Render(Figure figure, bool standalone)
    {
        var (charts, width, height, layouts) = Geometry(figure);
        // Ids are named after a hash of the drawing made with a neutral prefix; the prefix changes nothing
        // else, so equal figures get equal ids and different figures (almost surely) different ones.
        string draft = Draw(figure, charts, width, height, layouts, standalone, "mfr");
        string prefix = "mfr" + Fnv1a(draft).ToString("x16", CultureInfo.InvariantCulture)[..12];
        return Draw(figure, charts, width, height, layouts, standalone, prefix);
    }

    private static string Draw(Figure figure, IReadOnlyList<Chart> charts, int width, int height, List<PanelLayout> layouts, bool standalone, string idPrefix)
    {
        var body = new SvgWriter();
        body.Open("defs");
        for (int i = 0; i < layouts.Count; i++)
        {
            Rect plot = layouts[i].Plot;
            body.Open("clipPath", ("id", ClipId(idPrefix, i)));
            body.Element("rect", ("x", N(plot.Left)), ("y", N(plot.Top)), ("width", N(plot.Width)), ("height", N(plot.Height)));
            body.Close("clipPath");
        }
        body.Close("defs");
        if (figure.Title is { } title)
        {
            body.Text(title, ("class", "figure-title"), ("x", N(width / 2.0)), ("y", N(Theme.Padding + Theme.FigureTitleFontSize + 2)), ("text-anchor", "middle"),
                ("font-size", N(Theme.FigureTitleFontSize)), ("font-weight", "600"), ("fill", Theme.TextColor));
        }
        for (int i = 0; i < layouts.Count; i++) PanelPainter.Paint(body, charts[i], layouts[i], ClipId(idPrefix, i));
        return Header(figure, charts, width, height, standalone) + body + "</svg>\n";
    }

    /// <summary>The panels (an empty "no data" chart when there are none), the image size and each panel's layout.</summary>
    internal static (IReadOnlyList<Chart> Charts, int Width, int Height, List<PanelLayout> Layouts) Geometry(Figure figure)
    {
        IReadOnlyList<Chart> charts = figure.Panels.Count > 0 ? figure.Panels : [new Chart()];
        int columns = figure.Columns == 0 ? charts.Count : Math.Min(figure.Columns, charts.Count);
        int rows = (charts.Count + columns - 1) / columns;
        bool single = charts.Count == 1;
        int width = figure.WidthPx != 0 ? figure.WidthPx : single ? charts[0].WidthPx : 480 * columns;
        int panelHeight = figure.PanelHeightPx != 0 ? figure.PanelHeightPx : single ? charts[0].HeightPx : 360;
        double titleBand = figure.Title is null ? 0 : Theme.FigureTitleBand;
        int height = (int)Math.Ceiling(titleBand + rows * panelHeight);
        var regions = new Rect[charts.Count];
        for (int i = 0; i < charts.Count; i++)
        {
            double panelWidth = (double)width / columns;
            regions[i] = new Rect(i % columns * panelWidth, titleBand + i / columns * panelHeight, panelWidth, panelHeight);
        }
        return (charts, width, height, Layout(figure, charts, regions, columns));
    }

    /// <summary>The layouts the figure is drawn with (tests read scales, ticks and plot areas from them).</summary>
    private static List<PanelLayout> Layout(Figure figure, IReadOnlyList<Chart> charts, Rect[] regions, int columns)
    {
        bool shareX = figure.SharedX && !charts.Any(chart => chart.HasBars);
        if ((figure.SharedY && charts.Select(c => c.YAxis.Scale).Distinct().Count() > 1) || (shareX && charts.Select(c => c.XAxis.Scale).Distinct().Count() > 1))
        {
            throw new ArgumentException("Panels sharing an axis range must all use the same scale kind (linear or log) on that axis.");
        }
        var constraints = new PanelConstraints(
            MinHeaderHeight: charts.Max(PanelLayouter.HeaderHeight),
            MinFooterHeight: charts.Max(PanelLayouter.FooterHeight),
            ZeroBinLabel: shareX ? charts.FirstOrDefault(chart => chart.HasZeroBin)?.ZeroBinLabel : null);
        List<PanelLayout> layouts = LayoutAll(figure, charts, regions, columns, constraints);
        if (figure.SharedY || shareX)
        {
            // Shared ranges are resolved once for all panels, with the tick count of the smallest plot.
            if (figure.SharedY) constraints = constraints with { FixedYDomain = DomainResolver.ResolveY(charts, PanelLayouter.YTickCount(layouts.Min(l => l.Plot.Height))) };
            if (shareX) constraints = constraints with { FixedXDomain = DomainResolver.ResolveX(charts, PanelLayouter.XTickCount(layouts.Min(l => l.Plot.Width))) };
            layouts = LayoutAll(figure, charts, regions, columns, constraints);
        }
        return LayoutAll(figure, charts, regions, columns, constraints with { MinLeftMargin = layouts.Max(l => l.LeftMargin) });
    }

    private static List<PanelLayout> LayoutAll(Figure figure, IReadOnlyList<Chart> charts, Rect[] regions, int columns, PanelConstraints constraints) =>
        charts.Select((chart, i) => PanelLayouter.Compute(chart, regions[i], constraints with { ShowYTitle = ShowsYTitle(figure, i, columns) })).ToList();

    // With a shared y range the y title is said once, on the left of each row.
    private static bool ShowsYTitle(Figure figure, int index, int columns) => !figure.SharedY || index % columns == 0;

    private static string Header(Figure figure, IReadOnlyList<Chart> charts, int width, int height, bool standalone)
    {
        var header = new SvgWriter();
        string label = figure.Title ?? string.Join(" | ", charts.Select(c => c.Title).Where(t => t is not null));
        header.Open("svg", ("xmlns", standalone ? "http://www.w3.org/2000/svg" : null), ("width", N(width)), ("height", N(height)),
            ("viewBox", $"0 0 {N(width)} {N(height)}"), ("font-family", Theme.FontFamily), ("role", "img"), ("aria-label", label.Length > 0 ? label : null));
        if (label.Length > 0) header.TextElement("title", label);
        header.Element("rect", ("width", N(width)), ("height", N(height)), ("fill", Theme.Background));
        return header.ToString();
    }

    private static string ClipId(string prefix, int panel) => prefix + "-clip" + panel.ToString(CultureInfo.InvariantCulture);

    // 64-bit FNV-1a over UTF-16 code units: cheap, stable across runs and platforms (string.GetHashCode is randomised).
    private static ulong Fnv1a(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    private static string N(double value) => SvgWriter.Number(value);
}

namespace Mfr.Reports.Svg;

/// <summary>
/// One SVG image holding one or more <see cref="Chart"/> panels in a grid (one row by default), with an
/// optional overall title. With <see cref="SharedY"/> (and <see cref="SharedX"/>) every panel gets the same
/// y (x) range, united over all panels' data, so baseline | MFR panels compare at a glance; plot areas are
/// aligned in every case.
/// </summary>
public sealed class Figure
{
    private readonly List<Chart> panels = [];

    /// <summary>Creates an empty figure.</summary>
    /// <param name="title">Overall title above the panels; null for none.</param>
    public Figure(string? title = null) => Title = title;

    /// <summary>Overall title.</summary>
    public string? Title { get; }

    /// <summary>Panels, in reading order (left to right, then top to bottom).</summary>
    public IReadOnlyList<Chart> Panels => panels;

    /// <summary>Panels per row; 0 (default) for all panels in one row.</summary>
    public int Columns { get; private set; }

    /// <summary>Whether all panels share one y range.</summary>
    public bool SharedY { get; private set; }

    /// <summary>Whether all panels share one numeric x range (ignored for bar charts, whose x axis is categorical).</summary>
    public bool SharedX { get; private set; }

    /// <summary>Total width in pixels; 0 (default) for 640 with one panel, 480 per column otherwise.</summary>
    public int WidthPx { get; private set; }

    /// <summary>Height of one row of panels in pixels; 0 (default) for 400 with one panel, 360 otherwise.</summary>
    public int PanelHeightPx { get; private set; }

    /// <summary>A two-panel figure (e.g. baseline | MFR) with shared x and y ranges, so the panels compare directly.</summary>
    /// <param name="left">Left panel.</param>
    /// <param name="right">Right panel.</param>
    /// <param name="title">Overall title; null for none.</param>
    public static Figure SideBySide(Chart left, Chart right, string? title = null) =>
        new Figure(title).AddPanel(left).AddPanel(right).WithSharedX().WithSharedY();

    /// <summary>Appends a panel.</summary>
    /// <param name="chart">The chart; it is drawn as it is when <see cref="ToSvg"/> runs.</param>
    public Figure AddPanel(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        panels.Add(chart);
        return this;
    }

    /// <summary>Sets the number of panels per row.</summary>
    /// <param name="columns">1..8, or 0 for one row.</param>
    public Figure WithColumns(int columns)
    {
        if (columns is < 0 or > 8) throw new ArgumentException($"Columns must be 0..8; got {columns}.");
        Columns = columns;
        return this;
    }

    /// <summary>Makes every panel use the same y range.</summary>
    /// <param name="shared">Whether the range is shared.</param>
    public Figure WithSharedY(bool shared = true)
    {
        SharedY = shared;
        return this;
    }

    /// <summary>Makes every panel use the same numeric x range.</summary>
    /// <param name="shared">Whether the range is shared.</param>
    public Figure WithSharedX(bool shared = true)
    {
        SharedX = shared;
        return this;
    }

    /// <summary>Sets the total width and the height of each row of panels.</summary>
    /// <param name="widthPx">Total width, 160..4000 px.</param>
    /// <param name="panelHeightPx">Height of one row, 120..4000 px.</param>
    public Figure WithSize(int widthPx, int panelHeightPx)
    {
        FigureSize.Validate(widthPx, panelHeightPx);
        WidthPx = widthPx;
        PanelHeightPx = panelHeightPx;
        return this;
    }

    /// <summary>
    /// The figure as a standalone SVG document: <c>xmlns</c>, <c>viewBox</c>, width and height, no external
    /// references, all text XML-escaped. The same figure always gives the same string.
    /// </summary>
    public string ToSvg() => FigureRenderer.Render(this, standalone: true);

    /// <summary>The same drawing without the <c>xmlns</c> attribute, for inlining into HTML (the HTML parser supplies the namespace).</summary>
    internal string ToInlineSvg() => FigureRenderer.Render(this, standalone: false);

    /// <summary>The layout of each panel as <see cref="ToSvg"/> draws it (plot areas, scales, ticks, legend).</summary>
    internal IReadOnlyList<PanelLayout> PanelLayouts() => FigureRenderer.Geometry(this).Layouts;
}

using Mfr.Reports.Svg;

namespace Mfr.Reports;

/// <summary>
/// A figure with a caption. HTML inlines its SVG; Markdown links an SVG file written beside the report as
/// <c>&lt;figure folder&gt;/&lt;Name&gt;.svg</c>.
/// </summary>
public sealed class FigureBlock : ReportBlock
{
    internal FigureBlock(string name, Figure figure, string caption)
    {
        Name = name;
        Figure = figure;
        Caption = caption;
    }

    /// <summary>Identifier, unique within the document: lower-case letters, digits and '-' (used as file name and HTML id).</summary>
    public string Name { get; }

    /// <summary>The drawing.</summary>
    public Figure Figure { get; }

    /// <summary>Caption text (the writers prefix "Figure n.").</summary>
    public string Caption { get; }
}

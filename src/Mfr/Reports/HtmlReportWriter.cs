using System.Text;

namespace Mfr.Reports;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as ONE self-contained HTML file: inline CSS, figures as inline
/// SVG, no scripts, no external fonts, images or links (only in-page anchors). The markup is also
/// well-formed XML (XHTML-compatible: every element closed, only the XML entities), so it can be checked
/// with an XML parser, and it is deterministic: the same document gives the same bytes.
/// </summary>
public sealed class HtmlReportWriter
{
    private readonly StringBuilder html = new();
    private int figureNumber, tableNumber;

    private HtmlReportWriter()
    {
    }

    /// <summary>The report as an HTML5 document.</summary>
    /// <param name="document">The content.</param>
    public static string Write(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var writer = new HtmlReportWriter();
        writer.WriteDocument(document);
        return writer.html.ToString();
    }

    /// <summary>Writes the report to <paramref name="path"/> (UTF-8, no byte-order mark), creating the folder if needed.</summary>
    /// <param name="document">The content.</param>
    /// <param name="path">Output file, e.g. runs/x/report.html.</param>
    public static void WriteFile(ReportDocument document, string path)
    {
        string text = Write(document);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private void WriteDocument(ReportDocument document)
    {
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        html.Append("<meta name=\"generator\" content=\"Mfr\"/>\n");
        Element("title", document.Title);
        html.Append("<style>\n").Append(ReportStyleSheet.Css).Append("\n</style>\n</head>\n<body>\n");
        html.Append("<header class=\"report-header\">\n");
        Element("h1", document.Title);
        if (document.Subtitle is { } subtitle) Element("p", subtitle, "subtitle");
        html.Append("</header>\n");
        WriteContents(document);
        html.Append("<main>\n");
        WriteWarnings(document.Warnings);
        for (int i = 0; i < document.Sections.Count; i++) WriteSection(document.Sections[i], SectionId(i));
        if (document.Provenance.Count > 0)
        {
            html.Append("<section id=\"provenance\" class=\"provenance\">\n");
            Element("h2", ReportDocument.ProvenanceHeading);
            WriteKeyValues(new KeyValueBlock(null, document.Provenance));
            html.Append("</section>\n");
        }
        html.Append("</main>\n</body>\n</html>\n");
    }

    private void WriteWarnings(IReadOnlyList<string> warnings)
    {
        if (warnings.Count == 0) return;
        html.Append("<section id=\"warnings\" class=\"warnings\" role=\"note\" aria-label=\"Warnings\">\n");
        foreach (string warning in warnings) Caption("p", "Warning.", warning);
        html.Append("</section>\n");
    }

    private void WriteContents(ReportDocument document)
    {
        int count = document.Sections.Count + (document.Provenance.Count > 0 ? 1 : 0);
        if (count < 3) return;
        html.Append("<nav class=\"toc\" aria-label=\"Contents\">\n<p class=\"toc-title\">Contents</p>\n<ol>\n");
        for (int i = 0; i < document.Sections.Count; i++) Link(SectionId(i), document.Sections[i].Heading);
        if (document.Provenance.Count > 0) Link("provenance", ReportDocument.ProvenanceHeading);
        html.Append("</ol>\n</nav>\n");
    }

    private void Link(string id, string text)
    {
        html.Append("<li><a href=\"#").Append(id).Append("\">");
        Markup.AppendEscaped(html, text);
        html.Append("</a></li>\n");
    }

    private void WriteSection(ReportSection section, string id)
    {
        html.Append("<section id=\"").Append(id).Append("\">\n");
        Element("h" + section.Level, section.Heading);
        int subsection = 0;
        foreach (ReportBlock block in section.Blocks)
        {
            switch (block)
            {
                case ParagraphBlock paragraph: Element("p", paragraph.Text); break;
                case BulletListBlock list: WriteList(list); break;
                case ReportTable table: WriteTable(table); break;
                case FigureBlock figure: WriteFigure(figure); break;
                case KeyValueBlock pairs: WriteKeyValues(pairs); break;
                case ReportSection child: WriteSection(child, $"{id}-{++subsection}"); break;
                default: throw new InvalidOperationException($"Unknown report block {block.GetType().Name}.");
            }
        }
        html.Append("</section>\n");
    }

    private void WriteList(BulletListBlock list)
    {
        html.Append("<ul>\n");
        foreach (string item in list.Items) Element("li", item);
        html.Append("</ul>\n");
    }

    private void WriteTable(ReportTable table)
    {
        html.Append("<div class=\"table-wrap\">\n<table>\n");
        TableCaption(table.Caption);
        html.Append("<thead>\n<tr>");
        for (int c = 0; c < table.Header.Count; c++) Cell("th", table.Header[c], AlignmentClass(table.ResolvedAlignment(c)), " scope=\"col\"");
        html.Append("</tr>\n</thead>\n<tbody>\n");
        foreach (IReadOnlyList<string> row in table.Rows)
        {
            html.Append("<tr>");
            for (int c = 0; c < row.Count; c++) Cell("td", row[c], AlignmentClass(table.ResolvedAlignment(c)), "");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>\n</div>\n");
    }

    private void WriteFigure(FigureBlock figure)
    {
        figureNumber++;
        html.Append("<figure id=\"figure-").Append(figure.Name).Append("\">\n");
        html.Append(figure.Figure.ToInlineSvg());
        Caption("figcaption", $"Figure {figureNumber}.", figure.Caption);
        html.Append("</figure>\n");
    }

    // A titled key/value list is a table of the report and numbered with the others; the provenance list
    // (no title, under its own heading) is not.
    private void WriteKeyValues(KeyValueBlock block)
    {
        html.Append("<div class=\"table-wrap\">\n<table class=\"kv\">\n");
        if (block.Title is { } title) TableCaption(title);
        html.Append("<tbody>\n");
        foreach (var (key, value) in block.Pairs)
        {
            html.Append("<tr><th scope=\"row\">");
            Markup.AppendEscaped(html, key);
            // A multi-line value (an indented configuration) keeps its lines.
            bool multiLine = value.Contains('\n');
            html.Append(multiLine ? "</th><td><pre><code>" : "</th><td><code>");
            Markup.AppendEscaped(html, value);
            html.Append(multiLine ? "</code></pre></td></tr>\n" : "</code></td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</div>\n");
    }

    // Every table gets a number, captioned or not, so that the text can refer to "Table n" as to figures.
    private void TableCaption(string? text)
    {
        tableNumber++;
        html.Append("<caption><span class=\"label\">Table ").Append(tableNumber).Append(".</span>");
        if (text is not null)
        {
            html.Append(' ');
            Markup.AppendEscaped(html, text);
        }
        html.Append("</caption>\n");
    }

    private void Caption(string element, string label, string text)
    {
        html.Append('<').Append(element).Append("><span class=\"label\">").Append(label).Append("</span> ");
        Markup.AppendEscaped(html, text);
        html.Append("</").Append(element).Append(">\n");
    }

    private void Cell(string element, string text, string? cssClass, string extraAttributes)
    {
        html.Append('<').Append(element).Append(extraAttributes);
        if (cssClass is not null) html.Append(" class=\"").Append(cssClass).Append('"');
        html.Append('>');
        Markup.AppendEscaped(html, text);
        html.Append("</").Append(element).Append('>');
    }

    private void Element(string element, string text, string? cssClass = null)
    {
        html.Append('<').Append(element);
        if (cssClass is not null) html.Append(" class=\"").Append(cssClass).Append('"');
        html.Append('>');
        Markup.AppendEscaped(html, text);
        html.Append("</").Append(element).Append(">\n");
    }

    private static string? AlignmentClass(ColumnAlignment alignment) => alignment switch
    {
        ColumnAlignment.Right => "num",
        ColumnAlignment.Center => "center",
        _ => null,
    };

    private static string SectionId(int index) => "section-" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

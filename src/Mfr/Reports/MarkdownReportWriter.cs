using System.Text;

namespace Mfr.Reports;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as GitHub-flavoured Markdown. Markdown cannot inline SVG, so
/// each figure becomes a standalone SVG file, <c>&lt;figureFolder&gt;/&lt;name&gt;.svg</c>, linked as an
/// image (GitHub and most viewers display it) with its caption under it; <see cref="MarkdownReport.WriteTo"/>
/// writes both. Tables are pipe tables with numeric columns right-aligned; text is escaped so that it is
/// shown literally (no accidental emphasis, links or HTML).
/// </summary>
public sealed class MarkdownReportWriter
{
    private readonly StringBuilder markdown = new();
    private readonly List<ReportFile> files = [];
    private readonly string figureFolder;
    private int figureNumber, tableNumber;

    private MarkdownReportWriter(string figureFolder) => this.figureFolder = figureFolder;

    /// <summary>The report as Markdown plus its figure files.</summary>
    /// <param name="document">The content.</param>
    /// <param name="figureFolder">Folder for the SVG files, relative to report.md (a simple name such as "figures").</param>
    public static MarkdownReport Write(ReportDocument document, string figureFolder = "figures")
    {
        ArgumentNullException.ThrowIfNull(document);
        if (string.IsNullOrWhiteSpace(figureFolder) || figureFolder.IndexOfAny(['/', '\\', ':', '.']) >= 0)
        {
            throw new ArgumentException($"Figure folder '{figureFolder}' must be a plain folder name such as 'figures'.");
        }
        var writer = new MarkdownReportWriter(figureFolder);
        writer.WriteDocument(document);
        return new MarkdownReport(writer.markdown.ToString(), writer.files);
    }

    private void WriteDocument(ReportDocument document)
    {
        markdown.Append("# ").Append(EscapeText(document.Title)).Append("\n\n");
        if (document.Subtitle is { } subtitle) markdown.Append('*').Append(EscapeText(subtitle)).Append("*\n\n");
        foreach (string warning in document.Warnings) markdown.Append("> **Warning.** ").Append(EscapeText(warning)).Append("\n\n");
        foreach (ReportSection section in document.Sections) WriteSection(section);
        if (document.Provenance.Count > 0)
        {
            markdown.Append("## ").Append(ReportDocument.ProvenanceHeading).Append("\n\n");
            WriteKeyValues(new KeyValueBlock(null, document.Provenance));
        }
    }

    private void WriteSection(ReportSection section)
    {
        markdown.Append('#', section.Level).Append(' ').Append(EscapeText(section.Heading)).Append("\n\n");
        foreach (ReportBlock block in section.Blocks)
        {
            switch (block)
            {
                case ParagraphBlock paragraph: markdown.Append(EscapeText(paragraph.Text)).Append("\n\n"); break;
                case BulletListBlock list: WriteList(list); break;
                case ReportTable table: WriteTable(table); break;
                case FigureBlock figure: WriteFigure(figure); break;
                case KeyValueBlock pairs: WriteKeyValues(pairs); break;
                case ReportSection child: WriteSection(child); break;
                default: throw new InvalidOperationException($"Unknown report block {block.GetType().Name}.");
            }
        }
    }

    private void WriteList(BulletListBlock list)
    {
        foreach (string item in list.Items) markdown.Append("- ").Append(EscapeText(item)).Append('\n');
        markdown.Append('\n');
    }

    private void WriteTable(ReportTable table)
    {
        TableCaption(table.Caption);
        Row(table.Header);
        markdown.Append('|');
        for (int c = 0; c < table.Header.Count; c++)
        {
            markdown.Append(table.ResolvedAlignment(c) switch
            {
                ColumnAlignment.Right => " ---: |",
                ColumnAlignment.Center => " :---: |",
                _ => " --- |",
            });
        }
        markdown.Append('\n');
        foreach (IReadOnlyList<string> row in table.Rows) Row(row);
        markdown.Append('\n');
    }

    private void Row(IReadOnlyList<string> cells)
    {
        markdown.Append('|');
        foreach (string cell in cells) markdown.Append(' ').Append(EscapeCell(cell)).Append(" |");
        markdown.Append('\n');
    }

    private void WriteFigure(FigureBlock figure)
    {
        figureNumber++;
        string path = $"{figureFolder}/{figure.Name}.svg";
        files.Add(new ReportFile(path, figure.Figure.ToSvg()));
        string label = $"Figure {figureNumber}.";
        markdown.Append("![").Append(label).Append(' ').Append(EscapeText(figure.Caption)).Append("](").Append(path).Append(")\n\n");
        markdown.Append("**").Append(label).Append("** ").Append(EscapeText(figure.Caption)).Append("\n\n");
    }

    // A titled key/value list is numbered with the tables; the provenance list (no title) is not.
    // Multi-line values (an indented configuration) cannot sit in a pipe table: each follows the table
    // as a code block under its key.
    private void WriteKeyValues(KeyValueBlock block)
    {
        if (block.Title is { } title) TableCaption(title);
        var lines = block.Pairs.Where(pair => !pair.Value.Contains('\n')).ToList();
        if (lines.Count > 0)
        {
            markdown.Append("| Key | Value |\n| --- | --- |\n");
            foreach (var (key, value) in lines) markdown.Append("| ").Append(EscapeCell(key)).Append(" | ").Append(CodeCell(value)).Append(" |\n");
            markdown.Append('\n');
        }
        foreach (var (key, value) in block.Pairs.Where(pair => pair.Value.Contains('\n')))
        {
            string fence = value.Contains("```", StringComparison.Ordinal) ? "~~~~" : "```";
            markdown.Append("**").Append(EscapeText(key)).Append("**\n\n").Append(fence).Append('\n').Append(value.ReplaceLineEndings("\n").TrimEnd()).Append('\n').Append(fence).Append("\n\n");
        }
    }

    // Every table gets a number, captioned or not, as in the HTML report.
    private void TableCaption(string? text)
    {
        tableNumber++;
        markdown.Append("**Table ").Append(tableNumber).Append(".**");
        if (text is not null) markdown.Append(' ').Append(EscapeText(text));
        markdown.Append("\n\n");
    }

    /// <summary>Backslash-escapes the characters that would start emphasis, code, links, HTML or a heading.</summary>
    internal static string EscapeText(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (char c in text.ReplaceLineEndings(" "))
        {
            if (c is '\\' or '`' or '*' or '_' or '[' or ']' or '<' or '>' or '#' or '|' or '!') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static string EscapeCell(string text) => EscapeText(text.Trim());

    // Values (hashes, paths, configuration) read best in code spans; a value holding a backtick falls back to escaped text.
    private static string CodeCell(string value)
    {
        string flat = value.ReplaceLineEndings(" ").Trim();
        return flat.Length == 0 || flat.Contains('`') ? EscapeCell(flat) : "`" + flat.Replace("|", "\\|", StringComparison.Ordinal) + "`";
    }
}

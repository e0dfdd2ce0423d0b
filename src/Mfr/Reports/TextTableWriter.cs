using System.Text;

namespace Mfr.Reports;

/// <summary>
/// Writes a <see cref="ReportTable"/> as plain text for the console: its caption on a line, the header, a rule
/// of dashes, then the rows, columns two spaces apart and aligned as the HTML and Markdown writers align them
/// (<see cref="ReportTable.ResolvedAlignment"/>). Lines carry no trailing spaces.
/// </summary>
public static class TextTableWriter
{
    /// <summary>The table as text, each line ending in '\n'.</summary>
    public static string Write(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        int columns = table.Header.Count;
        var widths = new int[columns];
        var alignments = new ColumnAlignment[columns];
        for (int c = 0; c < columns; c++)
        {
            widths[c] = Math.Max(table.Header[c].Length, table.Rows.Count == 0 ? 0 : table.Rows.Max(row => row[c].Length));
            alignments[c] = table.ResolvedAlignment(c);
        }
        var text = new StringBuilder();
        if (table.Caption is { } caption) text.Append(caption).Append('\n');
        Line(text, table.Header, widths, alignments);
        text.Append(string.Join("  ", widths.Select(width => new string('-', width)))).Append('\n');
        foreach (var row in table.Rows) Line(text, row, widths, alignments);
        return text.ToString();
    }

    private static void Line(StringBuilder text, IReadOnlyList<string> cells, int[] widths, ColumnAlignment[] alignments)
    {
        var line = new StringBuilder();
        for (int c = 0; c < cells.Count; c++)
        {
            if (c > 0) line.Append("  ");
            line.Append(Pad(cells[c], widths[c], alignments[c]));
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private static string Pad(string cell, int width, ColumnAlignment alignment) => alignment switch
    {
        ColumnAlignment.Right => cell.PadLeft(width),
        ColumnAlignment.Center => cell.PadLeft((width + cell.Length) / 2).PadRight(width),
        _ => cell.PadRight(width),
    };
}

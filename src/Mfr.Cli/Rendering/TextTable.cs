using System.Text;

namespace Mfr.Cli.Rendering;

/// <summary>A plain-text table with aligned columns (numbers right-aligned), as the commands print results.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public TextTable AddRow(params string[] cells)
    {
        if (cells.Length != headers.Length) throw new ArgumentException($"Row has {cells.Length} cells, the table {headers.Length} columns.");
        rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells)
        {
            for (int c = 0; c < cells.Length; c++)
            {
                bool numeric = c > 0 && cells[c].Length > 0 && (char.IsDigit(cells[c][0]) || cells[c][0] is '-' or '+' or '.');
                text.Append(numeric ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
                text.Append(c + 1 < cells.Length ? "  " : "");
            }
            text.Append('\n');
        }
        Line(headers);
        text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in rows) Line(row);
        return text.ToString();
    }
}

namespace Mfr.Reports;

/// <summary>
/// A table of text cells: one header row, then rows of the same width. Cells are plain text; format
/// numbers before adding them (e.g. with <see cref="Svg.TickLabelFormatter.FormatValue"/> or invariant
/// "F4"). Numeric columns are right-aligned unless told otherwise.
/// </summary>
public sealed class ReportTable : ReportBlock
{
    private readonly List<IReadOnlyList<string>> rows = [];
    private readonly ColumnAlignment[] alignments;

    /// <summary>Creates a table with the given column headers and no rows.</summary>
    /// <param name="header">Column headers, <c>[columnCount]</c>, at least one.</param>
    /// <param name="caption">Caption (the writers prefix "Table n."); null for none.</param>
    public ReportTable(IReadOnlyList<string> header, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.Count == 0) throw new ArgumentException("A table needs at least one column.");
        Header = [.. header];
        Caption = caption;
        alignments = new ColumnAlignment[header.Count];
    }

    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Caption, or null.</summary>
    public string? Caption { get; }

    /// <summary>Rows added so far, each <c>[columnCount]</c>.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => rows;

    /// <summary>Appends a row.</summary>
    /// <param name="cells">Cell texts, <c>[columnCount]</c>.</param>
    public ReportTable AddRow(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Header.Count)
        {
            throw new ArgumentException($"Row {rows.Count + 1} has {cells.Length} cells; the table has {Header.Count} columns.");
        }
        rows.Add([.. cells.Select(cell => cell ?? "")]);
        return this;
    }

    /// <summary>Sets the alignment of column <paramref name="column"/>.</summary>
    /// <param name="column">0-based column index.</param>
    /// <param name="alignment">Alignment; <see cref="ColumnAlignment.Auto"/> to detect numbers.</param>
    public ReportTable WithAlignment(int column, ColumnAlignment alignment)
    {
        if ((uint)column >= (uint)alignments.Length) throw new ArgumentException($"Column {column} is outside the table's {alignments.Length} columns.");
        alignments[column] = alignment;
        return this;
    }

    /// <summary>The alignment used for column <paramref name="column"/>: the one set, or for Auto Right when every non-empty cell is numeric.</summary>
    /// <param name="column">0-based column index.</param>
    public ColumnAlignment ResolvedAlignment(int column)
    {
        if ((uint)column >= (uint)alignments.Length) throw new ArgumentException($"Column {column} is outside the table's {alignments.Length} columns.");
        if (alignments[column] != ColumnAlignment.Auto) return alignments[column];
        var cells = rows.Select(row => row[column].Trim()).Where(cell => !NumericText.IsPlaceholder(cell)).ToList();
        return cells.Count > 0 && cells.All(NumericText.IsNumber) ? ColumnAlignment.Right : ColumnAlignment.Left;
    }
}

namespace Mfr.Reports;

/// <summary>
/// One column of a result table's definition: its header, how a row becomes the cell's text (the format lives
/// here, once, for the console and the report alike) and its alignment.
/// </summary>
/// <typeparam name="TRow">The typed result row the column reads.</typeparam>
/// <param name="Header">Column header.</param>
/// <param name="Cell">The cell text of a row (numbers formatted with the invariant culture).</param>
/// <param name="Alignment">Auto right-aligns a column of numbers; set Right for cells <see cref="NumericText"/> does not read as numbers ("0.52 +- 0.01").</param>
internal sealed record TableColumn<TRow>(string Header, Func<TRow, string> Cell, ColumnAlignment Alignment = ColumnAlignment.Auto)
{
    /// <summary>The table of <paramref name="rows"/> under <paramref name="columns"/>.</summary>
    /// <param name="columns">The definition, in column order.</param>
    /// <param name="rows">The typed rows.</param>
    /// <param name="caption">Caption (the line above the table in text, "Table n." in reports); null for none.</param>
    public static ReportTable Table(IReadOnlyList<TableColumn<TRow>> columns, IEnumerable<TRow> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        var table = new ReportTable([.. columns.Select(column => column.Header)], caption);
        for (int c = 0; c < columns.Count; c++) table.WithAlignment(c, columns[c].Alignment);
        foreach (var row in rows) table.AddRow([.. columns.Select(column => column.Cell(row))]);
        return table;
    }
}

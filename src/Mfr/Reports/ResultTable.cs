namespace Mfr.Reports;

/// <summary>One table of an experiment's result, as defined once for the console and the report: the table and the notes that explain its columns.</summary>
/// <param name="Table">Caption, header and rows (cells already formatted by the table's <see cref="TableColumn{TRow}"/> definition).</param>
/// <param name="Notes">Sentences printed under the table (column legends, the measurements that are not a row); empty for none.</param>
internal sealed record ResultTable(ReportTable Table, IReadOnlyList<string> Notes);

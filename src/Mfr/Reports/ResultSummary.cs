using System.Text;
using Mfr.Experiments;

namespace Mfr.Reports;

/// <summary>
/// What the console prints and the report shows of one experiment's result: its tables (each defined once, e.g.
/// <see cref="SyntheticResultTables"/>) and its findings. <see cref="ToText"/> is the console's rendering,
/// <see cref="AddTo"/> the report's, so the two cannot drift apart.
/// </summary>
/// <param name="Tables">The result tables, in order.</param>
/// <param name="Findings">The result's findings, in order.</param>
internal sealed record ResultSummary(IReadOnlyList<ResultTable> Tables, IReadOnlyList<Finding> Findings)
{
    /// <summary>The tables (caption, table, notes; a blank line between tables), then the findings after a blank line.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        for (int t = 0; t < Tables.Count; t++)
        {
            if (t > 0) text.Append('\n');
            text.Append(TextTableWriter.Write(Tables[t].Table));
            foreach (string note in Tables[t].Notes) text.Append(note).Append('\n');
        }
        if (Findings.Count > 0) text.Append('\n').Append(FindingList.Text(Findings));
        return text.ToString();
    }

    /// <summary>
    /// Adds the findings as a section of <paramref name="document"/> (before the result, as they say how to read
    /// it), then a section headed <paramref name="heading"/> holding the tables and their notes; returns that
    /// section for the result's figures.
    /// </summary>
    public ReportSection AddTo(ReportDocument document, string heading)
    {
        ArgumentNullException.ThrowIfNull(document);
        FindingList.AddSection(document, Findings);
        var section = document.AddSection(heading);
        foreach (var table in Tables)
        {
            section.AddTable(table.Table);
            if (table.Notes.Count > 0) section.AddParagraph(string.Join(" ", table.Notes));
        }
        return section;
    }
}

/// <summary>One table of an experiment's result, as defined once for the console and the report: the table and the notes that explain its columns.</summary>
/// <param name="Table">Caption, header and rows (cells already formatted by the table's <see cref="TableColumn{TRow}"/> definition).</param>
/// <param name="Notes">Sentences printed under the table (column legends, the measurements that are not a row); empty for none.</param>
internal sealed record ResultTable(ReportTable Table, IReadOnlyList<string> Notes);

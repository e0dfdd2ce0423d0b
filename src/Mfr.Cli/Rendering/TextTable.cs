using Mfr.Reports;

namespace Mfr.Cli.Rendering;

/// <summary>A plain-text table with aligned columns (numbers right-aligned), as the commands print results; written by the library's <see cref="TextTableWriter"/>, as the result tables are.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly ReportTable table = new(headers);

    public TextTable AddRow(params string[] cells)
    {
        table.AddRow(cells);
        return this;
    }

    public override string ToString() => TextTableWriter.Write(table);
}

namespace Mfr.Reports;

/// <summary>
/// A piece of report content. The set is closed (paragraph, bullet list, table, figure, key/value list,
/// subsection) so that <see cref="HtmlReportWriter"/> and <see cref="MarkdownReportWriter"/> render the
/// same content model and neither can silently skip a kind.
/// </summary>
public abstract class ReportBlock
{
    private protected ReportBlock()
    {
    }
}

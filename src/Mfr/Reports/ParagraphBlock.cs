namespace Mfr.Reports;

/// <summary>A paragraph of plain text (escaped by the writers; no markup is interpreted).</summary>
public sealed class ParagraphBlock : ReportBlock
{
    internal ParagraphBlock(string text) => Text = text;

    /// <summary>The text.</summary>
    public string Text { get; }
}

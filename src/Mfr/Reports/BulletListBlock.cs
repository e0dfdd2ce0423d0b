namespace Mfr.Reports;

/// <summary>An unordered list of plain-text items.</summary>
public sealed class BulletListBlock : ReportBlock
{
    internal BulletListBlock(IReadOnlyList<string> items) => Items = items;

    /// <summary>The items, in order.</summary>
    public IReadOnlyList<string> Items { get; }
}

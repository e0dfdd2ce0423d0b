namespace Mfr.Reports;

/// <summary>Key/value pairs shown as a two-column table (configuration, seeds, versions, checksums); values are set in monospace.</summary>
public sealed class KeyValueBlock : ReportBlock
{
    internal KeyValueBlock(string? title, IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        Title = title;
        Pairs = pairs;
    }

    /// <summary>Optional heading line above the pairs.</summary>
    public string? Title { get; }

    /// <summary>The pairs, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; }
}

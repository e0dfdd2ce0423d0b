using Mfr.Reports.Svg;

namespace Mfr.Reports;

/// <summary>
/// A headed section of a report: an ordered list of blocks, which may include subsections (down to
/// <see cref="MaxLevel"/>). Created by <see cref="ReportDocument.AddSection"/> or <see cref="AddSubsection"/>;
/// each <c>Add…</c> returns this section so calls chain.
/// </summary>
public sealed class ReportSection : ReportBlock
{
    /// <summary>Deepest heading level (sections are level 2, under the document title's level 1).</summary>
    public const int MaxLevel = 4;

    private readonly List<ReportBlock> blocks = [];
    private readonly ReportDocument document;

    internal ReportSection(ReportDocument document, string heading, int level)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(heading);
        this.document = document;
        Heading = heading;
        Level = level;
    }

    /// <summary>Heading text.</summary>
    public string Heading { get; }

    /// <summary>Heading level: 2 for a section, 3 or 4 for subsections.</summary>
    public int Level { get; }

    /// <summary>Content, in order.</summary>
    public IReadOnlyList<ReportBlock> Blocks => blocks;

    /// <summary>Appends a paragraph.</summary>
    /// <param name="text">Plain text.</param>
    public ReportSection AddParagraph(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        blocks.Add(new ParagraphBlock(text));
        return this;
    }

    /// <summary>Appends a bullet list.</summary>
    /// <param name="items">Plain-text items.</param>
    public ReportSection AddBulletList(IEnumerable<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        blocks.Add(new BulletListBlock([.. items]));
        return this;
    }

    /// <summary>Appends a table.</summary>
    /// <param name="table">The table (later rows added to it still show).</param>
    public ReportSection AddTable(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        blocks.Add(table);
        return this;
    }

    /// <summary>Appends a figure.</summary>
    /// <param name="name">Unique identifier: lower-case letters, digits, '-' (file name in Markdown output, HTML id).</param>
    /// <param name="figure">The drawing.</param>
    /// <param name="caption">Caption text.</param>
    public ReportSection AddFigure(string name, Figure figure, string caption)
    {
        ArgumentNullException.ThrowIfNull(figure);
        ArgumentNullException.ThrowIfNull(caption);
        document.ClaimFigureName(name);
        blocks.Add(new FigureBlock(name, figure, caption));
        return this;
    }

    /// <summary>Appends a single chart as a figure (at the chart's own size).</summary>
    /// <param name="name">Unique identifier: lower-case letters, digits, '-'.</param>
    /// <param name="chart">The chart.</param>
    /// <param name="caption">Caption text.</param>
    public ReportSection AddFigure(string name, Chart chart, string caption)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return AddFigure(name, chart.AsFigure(), caption);
    }

    /// <summary>Appends key/value pairs (shown as a two-column table).</summary>
    /// <param name="title">Heading line above the pairs; null for none.</param>
    /// <param name="pairs">The pairs, in order.</param>
    public ReportSection AddKeyValues(string? title, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        blocks.Add(new KeyValueBlock(title, [.. pairs]));
        return this;
    }

    /// <summary>Appends a subsection one level deeper and returns it (not this section).</summary>
    /// <param name="heading">Heading text.</param>
    public ReportSection AddSubsection(string heading)
    {
        if (Level >= MaxLevel) throw new InvalidOperationException($"Section '{Heading}' is at level {Level}; subsections go at most to level {MaxLevel}.");
        var section = new ReportSection(document, heading, Level + 1);
        blocks.Add(section);
        return section;
    }
}

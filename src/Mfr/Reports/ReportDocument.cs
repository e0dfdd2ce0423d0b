using System.Text.RegularExpressions;

namespace Mfr.Reports;

/// <summary>
/// The content of a report, independent of its format: a title, sections of blocks (paragraphs, lists,
/// tables, figures, key/value pairs, subsections) and a configuration-and-provenance list that the writers
/// always put last. Render with <see cref="HtmlReportWriter"/> (one self-contained file) or
/// <see cref="MarkdownReportWriter"/> (report.md plus SVG files).
/// </summary>
public sealed partial class ReportDocument
{
    /// <summary>Heading of the provenance section.</summary>
    public const string ProvenanceHeading = "Configuration and provenance";

    private readonly List<ReportSection> sections = [];
    private readonly List<KeyValuePair<string, string>> provenance = [];
    private readonly HashSet<string> figureNames = new(StringComparer.Ordinal);

    /// <summary>Creates an empty report.</summary>
    /// <param name="title">Report title.</param>
    /// <param name="subtitle">Line under the title; null for none.</param>
    public ReportDocument(string title, string? subtitle = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Title = title;
        Subtitle = subtitle;
    }

    /// <summary>Report title.</summary>
    public string Title { get; }

    /// <summary>Line under the title, or null.</summary>
    public string? Subtitle { get; }

    /// <summary>Top-level sections, in order.</summary>
    public IReadOnlyList<ReportSection> Sections => sections;

    /// <summary>Configuration and provenance pairs (seeds, configuration, tool version, data checksums), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Provenance => provenance;

    /// <summary>Appends a top-level section and returns it.</summary>
    /// <param name="heading">Heading text.</param>
    public ReportSection AddSection(string heading)
    {
        var section = new ReportSection(this, heading, level: 2);
        sections.Add(section);
        return section;
    }

    /// <summary>Appends a configuration/provenance pair.</summary>
    /// <param name="key">Name, e.g. "seed".</param>
    /// <param name="value">Value, e.g. "42" or a SHA-256 hex digest.</param>
    public ReportDocument AddProvenance(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        provenance.Add(new KeyValuePair<string, string>(key, value));
        return this;
    }

    internal void ClaimFigureName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!FigureNamePattern().IsMatch(name))
        {
            throw new ArgumentException($"Figure name '{name}' must be 1-64 lower-case letters, digits or '-', starting with a letter or digit.");
        }
        if (!figureNames.Add(name)) throw new ArgumentException($"Figure name '{name}' is already used in this report.");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex FigureNamePattern();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mfr.Reports;

/// <summary>
/// The content of a report, independent of its format: a title, sections of blocks (paragraphs, lists,
/// tables, figures, key/value pairs, subsections), warnings that the writers put first (what the report
/// could not show and why), and a configuration-and-provenance list that the writers always put last.
/// Figures and tables are numbered in document order by the writers. Render with <see cref="HtmlReportWriter"/> (one self-contained file) or
/// <see cref="MarkdownReportWriter"/> (report.md plus SVG files).
/// </summary>
public sealed partial class ReportDocument
{
    /// <summary>Heading of the provenance section.</summary>
    public const string ProvenanceHeading = "Configuration and provenance";

    private readonly List<ReportSection> sections = [];
    private readonly List<KeyValuePair<string, string>> provenance = [];
    private readonly List<string> warnings = [];
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

    /// <summary>
    /// What the report could not show and why (a missing or empty log, a run without final SAEs), one line
    /// each naming the file: shown above the first section and printed by `mfr report`, so a sparse report
    /// is never mistaken for a complete one (issue 13).
    /// </summary>
    public IReadOnlyList<string> Warnings => warnings;

    /// <summary>Appends a warning line.</summary>
    /// <param name="text">One sentence naming what is missing and the file.</param>
    public ReportDocument AddWarning(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        warnings.Add(text);
        return this;
    }

    /// <summary>Appends a top-level section and returns it.</summary>
    /// <param name="heading">Heading text.</param>
    public ReportSection AddSection(string heading)
    {
        var section = new ReportSection(this, heading, level: 2);
        sections.Add(section);
        return section;
    }

    /// <summary>
    /// Appends a configuration/provenance pair. A value that is a JSON object or array (a serialized
    /// configuration record) is stored indented, one key per line, so that the writers show it as a block
    /// a reader can scan rather than one long line.
    /// </summary>
    /// <param name="key">Name, e.g. "seed".</param>
    /// <param name="value">Value, e.g. "42", a SHA-256 hex digest or a configuration as JSON.</param>
    public ReportDocument AddProvenance(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        provenance.Add(new KeyValuePair<string, string>(key, IndentedJson(value) ?? value));
        return this;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Only a whole JSON object or array is re-indented; plain values ("42", a path) are kept as given.
    private static string? IndentedJson(string value)
    {
        string trimmed = value.Trim();
        if (!(trimmed.StartsWith('{') && trimmed.EndsWith('}')) && !(trimmed.StartsWith('[') && trimmed.EndsWith(']'))) return null;
        try
        {
            return JsonNode.Parse(trimmed)?.ToJsonString(Indented);
        }
        catch (JsonException)
        {
            return null;
        }
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

namespace Mfr.Reports;

/// <summary>A file that goes with a report, e.g. an SVG figure of a Markdown report.</summary>
/// <param name="RelativePath">Path relative to the report's folder, with '/' separators (e.g. "figures/loss.svg").</param>
/// <param name="Content">File content (UTF-8 text).</param>
public sealed record ReportFile(string RelativePath, string Content);

using Mfr.Experiments;

namespace Mfr.Reports;

/// <summary>How findings read, the same on the console and in the report: one line per finding, "warning: ..." or "note: ...".</summary>
internal static class FindingList
{
    /// <summary>Heading of the findings, in text ("Findings:") and as the report section.</summary>
    public const string Heading = "Findings";

    /// <summary>The finding as one line: its severity in lower case, a colon, its sentence.</summary>
    public static string Line(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return $"{finding.Severity.ToString().ToLowerInvariant()}: {finding.Text}";
    }

    /// <summary>"Findings:" and one line per finding, each ending in '\n'; empty when there are none.</summary>
    public static string Text(IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return findings.Count == 0 ? "" : $"{Heading}:\n" + string.Concat(findings.Select(finding => Line(finding) + "\n"));
    }

    /// <summary>A "Findings" section with one bullet per finding; none when there are no findings.</summary>
    public static void AddSection(ReportDocument document, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0) return;
        document.AddSection(Heading).AddBulletList(findings.Select(Line));
    }
}

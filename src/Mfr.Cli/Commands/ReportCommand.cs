using System.CommandLine;
using Mfr.Reports;

namespace Mfr.Cli.Commands;

/// <summary>`mfr report RUN_DIR`: report.html (self-contained, inline SVG) and report.md from a run or experiment folder.</summary>
internal static class ReportCommand
{
    public static Command Create(CommandContext context)
    {
        var folder = new Argument<DirectoryInfo>("RUN_DIR") { Description = "A run folder (run.json) or experiment folder (results.json)." };
        var command = new Command("report", "Write report.html and report.md (figures and tables) for a run or experiment folder.");
        command.Arguments.Add(folder);
        command.SetAction(parse =>
        {
            string path = parse.GetValue(folder)!.FullName;
            string html = Write(path, context.Error);
            context.Output.WriteLine($"Wrote {html} and {Path.Combine(path, "report.md")}");
            return 0;
        });
        return command;
    }

    /// <summary>Writes the report of <paramref name="folder"/> and its warnings (e.g. a missing metrics.jsonl) to <paramref name="error"/>; returns the path of report.html.</summary>
    internal static string Write(string folder, TextWriter error)
    {
        var document = RunReport.Build(folder);
        string html = Path.Combine(folder, "report.html");
        HtmlReportWriter.WriteFile(document, html);
        MarkdownReportWriter.Write(document).WriteTo(folder);
        foreach (string warning in document.Warnings) error.WriteLine($"Warning: {warning}");
        return html;
    }
}

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
            var document = RunReport.Build(path);
            string html = Path.Combine(path, "report.html");
            HtmlReportWriter.WriteFile(document, html);
            string markdown = MarkdownReportWriter.Write(document).WriteTo(path);
            context.Output.WriteLine($"Wrote {html} and {markdown}");
            foreach (string warning in document.Warnings) context.Error.WriteLine($"Warning: {warning}");
            return 0;
        });
        return command;
    }
}

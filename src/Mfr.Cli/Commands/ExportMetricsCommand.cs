using System.CommandLine;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>`mfr export-metrics RUN --csv FILE`: a run's metrics.jsonl as a tidy long CSV for pandas (<see cref="MetricsCsvExport"/>).</summary>
internal static class ExportMetricsCommand
{
    public static Command Create(CommandContext context)
    {
        var run = new Argument<DirectoryInfo>("RUN") { Description = "Run folder (run.json + metrics.jsonl)." };
        var csv = new Option<FileInfo?>("--csv") { Description = "CSV file to write: type,step,sae,k,metric,value (required)." };
        var command = new Command("export-metrics", "Write a run's metrics.jsonl as a tidy long table (type,step,sae,k,metric,value) that pd.read_csv takes as is.") { run };
        command.Options.Add(csv);
        command.SetAction(parse =>
        {
            var file = parse.GetValue(csv) ?? throw new ArgumentException("--csv FILE is required: where to write the table.");
            long rows = MetricsCsvExport.Write(parse.GetValue(run)!.FullName, file.FullName);
            context.Output.WriteLine($"Wrote {rows} rows to {file.FullName}");
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>
/// `mfr export-metrics RUN --csv FILE --parquet FILE`: a run's metrics.jsonl as a tidy long table for pandas, as CSV
/// (<see cref="MetricsCsvExport"/>), Parquet (<see cref="MetricsParquetExport"/>) or both.
/// </summary>
internal static class ExportMetricsCommand
{
    public static Command Create(CommandContext context)
    {
        var run = new Argument<DirectoryInfo>("RUN") { Description = "Run folder (run.json + metrics.jsonl)." };
        var csv = new Option<FileInfo?>("--csv") { Description = "CSV file to write: type,step,sae,k,metric,value (this or --parquet is required)." };
        var parquet = new Option<FileInfo?>("--parquet") { Description = "Parquet file to write, the same table (this or --csv is required)." };
        var command = new Command("export-metrics", "Write a run's metrics.jsonl as a tidy long table (type,step,sae,k,metric,value) that pd.read_csv / pd.read_parquet take as is.") { run };
        command.Options.Add(csv);
        command.Options.Add(parquet);
        command.SetAction(parse =>
        {
            FileInfo? csvFile = parse.GetValue(csv), parquetFile = parse.GetValue(parquet);
            if (csvFile is null && parquetFile is null) throw new ArgumentException("--csv FILE or --parquet FILE is required: where to write the table.");
            string folder = parse.GetValue(run)!.FullName;
            if (csvFile is not null) context.Output.WriteLine($"Wrote {MetricsCsvExport.Write(folder, csvFile.FullName)} rows to {csvFile.FullName}");
            if (parquetFile is not null) context.Output.WriteLine($"Wrote {MetricsParquetExport.Write(folder, parquetFile.FullName)} rows to {parquetFile.FullName}");
            return 0;
        });
        return command;
    }
}

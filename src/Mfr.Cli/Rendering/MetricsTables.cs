using System.Globalization;
using Mfr.Experiments;

namespace Mfr.Cli.Rendering;

/// <summary>The held-out metrics tables of `mfr train` (one row per SAE of the run) and `mfr eval` (one row per SAE folder).</summary>
internal static class MetricsTables
{
    public static string Train(TrainExperimentResult result)
    {
        var table = new TextTable("SAE", "k", "h", "seed", "MSE", "FVU", "L0", "dead", "reinits");
        var metrics = result.Evaluation!.Saes;
        foreach (var sae in result.Saes)
        {
            var m = metrics[sae.Index];
            table.AddRow($"sae-{sae.Index}", Integer(sae.K), Integer(sae.LatentCount), sae.Seed.ToString(CultureInfo.InvariantCulture), Format(m.Mse), Format(m.Fvu),
                m.L0.ToString("F2", CultureInfo.InvariantCulture), Integer(m.DeadLatents), Integer(sae.Reinitializations));
        }
        return table.ToString();
    }

    public static string Eval(EvalExperimentResult result)
    {
        var table = new TextTable("SAE", "k", "h", "MSE", "FVU", "L0", "dead");
        foreach (var sae in result.Saes)
            table.AddRow(Path.GetFileName(Path.TrimEndingDirectorySeparator(sae.Folder)), Integer(sae.K), Integer(sae.LatentCount), Format(sae.Metrics.Mse), Format(sae.Metrics.Fvu),
                sae.Metrics.L0.ToString("F2", CultureInfo.InvariantCulture), Integer(sae.Metrics.DeadLatents));
        return $"Data: {result.Data}, {result.Samples} samples\n" + table;
    }

    internal static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);
}

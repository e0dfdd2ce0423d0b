using System.Text.Json;
using Mfr.Evaluation;
using Mfr.Experiments;
using Mfr.Reports.Svg;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// The report section of a `mfr consistency` folder: its findings and tables (<see cref="ConsistencyResultTables"/>, the
/// same as the console's), then per seed the ground-truth recovery of every variant over training (paper figure 8's
/// form), which shows whether the baseline's recovery had flattened when training stopped (issue 14 part 4).
/// </summary>
internal static class ConsistencyReportSection
{
    public static void Add(ReportDocument document, string folder, ConsistencyExperimentResult result)
    {
        var section = ConsistencyResultTables.Summary(result).AddTo(document, "Consistency experiment (issue 14)");
        foreach (ulong seed in result.Config.TrainingSeeds())
        {
            var series = result.Config.VariantList.Select((variant, i) => (Variant: variant, Color: Palette.ColorAt(i),
                    Run: Path.Combine(ExperimentFolder.SeedFolder(folder, seed), ExperimentFolder.VariantFolderName(variant.Name))))
                .Where(v => File.Exists(Path.Combine(v.Run, TrainingRun.MetricsFileName)))
                .Select(v => new RecoverySeries(v.Variant.Name, v.Color, GroundTruthRecoveryEvaluator.ReadLog(Path.Combine(v.Run, TrainingRun.MetricsFileName))))
                .ToList();
            RecoveryFigure.AddTo(section, $"recovery-seed-{seed}", series, result.Config.BatchSize);
        }
        document.AddProvenance("experiment", JsonSerializer.Serialize(result.Config, MetricLog.JsonOptions));
    }
}

using System.Text.Json;
using Mfr.Data;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Reports;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Reports;

public sealed class FindingListTests
{
    // As results.json is written and read back by the report.
    private static T ThroughResultsJson<T>(T result) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(result, MetricLog.JsonOptions), MetricLog.JsonOptions)!;

    private static IReadOnlyList<string> ConsoleFindings(string text) =>
        text[(text.IndexOf("\nFindings:\n", StringComparison.Ordinal) + "\nFindings:\n".Length)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static IReadOnlyList<string> ReportFindings(ReportDocument document) =>
        ((BulletListBlock)document.Sections.Single(section => section.Heading == FindingList.Heading).Blocks.Single()).Items;

    [Fact]
    public void TheSyntheticReportAndConsole_ShowTheSameFindings_ForTheSameResult()
    {
        // Given a result with a collapsed MFR pair, many dead baseline latents and a short budget
        var config = new SyntheticExperimentConfig(new SyntheticDataConfig(), SampleCount: 1_000_000);
        SyntheticSaeResult[] rows =
        [
            new("baseline", 0, 0, 1, 0.7, 0.07, 32, 100, 0.5, [0.2, 0.1, 0.05], 0.44, 0.6, 0, null),
            new("mfr beta=auto", 0, 0, 1, 0.7, 0.07, 32, 0, 0.5, [0.2, 0.1, 0.05], 0.9999, 0.1, 0, 7.9),
        ];
        var result = ThroughResultsJson(new SyntheticExperimentResult(config, rows, [], 1, SyntheticFindings.Of(config, rows)));
        using var folder = new TemporaryDirectory();
        var document = new ReportDocument("report");

        // When
        SyntheticReportSection.Add(document, folder.Path, result);
        string console = SyntheticResultTables.Text(result);

        // Then both list the three findings, in the same words and order, before the report's tables
        var expected = result.Findings!.Select(FindingList.Line).ToArray();
        Assert.Equal([FindingKind.ManyDeadLatents, FindingKind.CoupledSaesCollapsed, FindingKind.BudgetBelowPaper], result.Findings!.Select(f => f.Kind));
        Assert.Equal(expected, ConsoleFindings(console));
        Assert.Equal(expected, ReportFindings(document));
        Assert.Equal(FindingList.Heading, document.Sections[0].Heading);
    }

    [Fact]
    public void TheSweepReportAndConsole_ShowTheSameFindings_ForTheSameResult()
    {
        // Given a sweep of 2 steps under a 100-step warm-up, whose coupled pair collapsed and whose baseline k=2 left 4 of 16 latents dead
        var config = new KSweepConfig(new DataSpecification("file", Path: "train.npy", HeldOutPath: "heldout.npy"), 16, [2, 4], new TrainingConfig(SampleCount: 100, BatchSize: 50), new MfrConfig(MfrMode.Penalty));
        KSweepRow[] rows = [new(2, 1.0, 0.9, -0.1, 2, 2, 4, 0), new(4, 0.8, 0.7, -0.125, 4, 4, 0, 0)];
        double[][] distances = [[0, 1], [1, 0]];
        var result = ThroughResultsJson(new KSweepResult(config, rows, distances, distances, 100, 1, [0.999], KSweepFindings.Of(config, rows, [0.999])));
        using var folder = new TemporaryDirectory();
        var document = new ReportDocument("report");

        // When
        SweepReportSection.Add(document, folder.Path, result);
        string console = KSweepResultTables.Text(result);

        // Then
        var expected = result.Findings!.Select(FindingList.Line).ToArray();
        Assert.Equal([FindingKind.WarmupLongerThanTraining, FindingKind.CoupledSaesCollapsed, FindingKind.ManyDeadLatents], result.Findings!.Select(f => f.Kind));
        Assert.Equal(expected, ConsoleFindings(console));
        Assert.Equal(expected, ReportFindings(document));
    }

    [Fact]
    public void Line_GivesTheSeverityInLowerCase_ThenTheSentence()
    {
        Assert.Equal("warning: The SAEs collapsed.", FindingList.Line(new Finding(FindingKind.CoupledSaesCollapsed, FindingSeverity.Warning, "The SAEs collapsed.")));
    }
}

using Mfr.Cli;
using Mfr.Reports;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Reports;

/// <summary>The text of a training run's report as a reader meets it: configuration, captions, tables, warnings.</summary>
public sealed class RunReportTextTests
{
    // A tiny synthetic `mfr train` run (d 8, h 16, k 2, batch 64): milliseconds.
    private static string Train(TemporaryDirectory folder, params string[] extra)
    {
        string run = folder.Combine("run");
        var error = new StringWriter();
        int code = CliApplication.Run(["train", "--samples", "640", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3",
            "--latents", "16", "--k", "2", "--out", run, .. extra], new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
        return run;
    }

    private static IEnumerable<ReportBlock> AllBlocks(IEnumerable<ReportBlock> blocks) =>
        blocks.SelectMany(block => block is ReportSection section ? AllBlocks(section.Blocks).Prepend(block) : [block]);

    private static string Caption(ReportDocument document, string figureName) =>
        AllBlocks(document.Sections).OfType<FigureBlock>().Single(f => f.Name == figureName).Caption;

    public sealed class MissingMetrics
    {
        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void RunWhoseLogIsMissingOrEmpty_ReportWarnsNamingTheFile_AndTheCliPrintsIt(bool emptyFile)
        {
            // Given a finished run whose metrics.jsonl was then lost (deleted, or truncated to nothing)
            using var folder = new TemporaryDirectory();
            string run = Train(folder, "--count", "1");
            string log = Path.Combine(run, TrainingRun.MetricsFileName);
            if (emptyFile) File.WriteAllText(log, "");
            else File.Delete(log);

            // When
            ReportDocument document = RunReport.Build(run);
            var error = new StringWriter();
            int code = CliApplication.Run(["report", run], new StringWriter(), error);

            // Then the report says what it left out and where it looked, and so does the command
            string warning = Assert.Single(document.Warnings);
            Assert.Contains(log, warning, StringComparison.Ordinal);
            Assert.Equal(0, code);
            Assert.Contains($"Warning: {warning}", error.ToString(), StringComparison.Ordinal);
            Assert.Contains(log, File.ReadAllText(Path.Combine(run, "report.html")), StringComparison.Ordinal);
        }

        [Fact]
        public void CompleteRun_HasNoWarning()
        {
            using var folder = new TemporaryDirectory();

            Assert.Empty(RunReport.Build(Train(folder, "--count", "1")).Warnings);
        }
    }

    public sealed class Configuration
    {
        [Fact]
        public void IsAReadableTable_OneRowPerSetting_NoRecordDump()
        {
            using var folder = new TemporaryDirectory();
            ReportDocument document = RunReport.Build(Train(folder, "--count", "2", "--mode", "mfr", "--warmup", "3"));

            KeyValueBlock configuration = AllBlocks(document.Sections).OfType<KeyValueBlock>().Single();

            var rows = configuration.Pairs.ToDictionary(p => p.Key, p => p.Value);
            Assert.DoesNotContain(configuration.Pairs, p => p.Value.Contains('{') || p.Value.Contains("Config", StringComparison.Ordinal));
            Assert.Equal("8", rows["input dimension d"]);
            Assert.Equal("2 × h = 16, k = 2", rows["SAEs"]);
            Assert.Equal("640 (10 steps of batch 64)", rows["training samples"]);
            Assert.Equal("MFR: penalty and re-initialisation", rows["regularization"]);
            Assert.StartsWith("auto", rows["penalty β"], StringComparison.Ordinal);
            Assert.Equal("3 steps (cosine)", rows["penalty warm-up"]);
        }

        [Fact]
        public void ProvenanceOfALoneRun_IsItsRunJson_IndentedWithOneKeyPerConcept()
        {
            using var folder = new TemporaryDirectory();
            ReportDocument document = RunReport.Build(Train(folder, "--count", "2", "--mode", "mfr"));

            string json = document.Provenance.Single(p => p.Key == TrainingRun.SpecificationFileName).Value;

            Assert.Contains("\n  \"regularization\": {", json, StringComparison.Ordinal);
            Assert.Contains("\"beta\": \"auto\"", json, StringComparison.Ordinal);
            foreach (string derived in new[] { "usesPenalty", "reinitializationSettings", "smallestGroupSize", "stepCount", "\"adam\"" })
                Assert.DoesNotContain(derived, json, StringComparison.Ordinal);
        }
    }

    public sealed class Captions
    {
        [Fact]
        public void LoneSae_Figure5aCaption_SpeaksOfTheOnePanelDrawn()
        {
            using var folder = new TemporaryDirectory();
            ReportDocument document = RunReport.Build(Train(folder, "--count", "1"));

            string caption = Caption(document, "run-latents-cosines");

            Assert.Contains("best cosine to any true feature", caption, StringComparison.Ordinal);
            Assert.DoesNotContain("other SAE", caption, StringComparison.Ordinal);
            Assert.DoesNotContain("left", caption, StringComparison.Ordinal);
            Assert.DoesNotContain("independently", caption, StringComparison.Ordinal);
        }

        [Fact]
        public void LoneBaselineSae_OtherCaptions_SayNothingOfWhatIsNotDrawn()
        {
            using var folder = new TemporaryDirectory();
            ReportDocument document = RunReport.Build(Train(folder, "--count", "1"));

            // one line in figure 8: neither colours nor dashes to explain
            Assert.DoesNotContain("dash", Caption(document, "run-recovery"), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("colour", Caption(document, "run-recovery"), StringComparison.OrdinalIgnoreCase);
            // a baseline run draws θ but never re-initialises; its loss has no re-initialisation lines
            Assert.Contains("for reference only", Caption(document, "run-reinit"), StringComparison.Ordinal);
            Assert.Contains("no latent was re-initialised", Caption(document, "run-loss"), StringComparison.Ordinal);
            Assert.Contains("of the final SAE fired", Caption(document, "run-latents-firing"), StringComparison.Ordinal);
        }

        [Fact]
        public void MfrRun_Figure5aCaption_SaysTheSaesWereCoupled_NotThatTheyTrainedIndependently()
        {
            using var folder = new TemporaryDirectory();
            ReportDocument document = RunReport.Build(Train(folder, "--count", "2", "--mode", "mfr", "--warmup", "3"));

            string caption = Caption(document, "run-latents-cosines");

            Assert.Contains("(left) and to any true feature (right)", caption, StringComparison.Ordinal);
            Assert.Contains("coupled by the MFR penalty", caption, StringComparison.Ordinal);
            Assert.DoesNotContain("independently", caption, StringComparison.Ordinal);
            Assert.EndsWith("Dash: SAE.", Caption(document, "run-recovery"), StringComparison.Ordinal);
            Assert.DoesNotContain("for reference only", Caption(document, "run-reinit"), StringComparison.Ordinal);
        }

        [Fact]
        public void BaselineRunOfTwoSaes_Figure5aCaption_SaysTheyTrainedIndependently()
        {
            using var folder = new TemporaryDirectory();
            ReportDocument document = RunReport.Build(Train(folder, "--count", "2", "--mode", "baseline"));

            Assert.Contains("trained independently", Caption(document, "run-latents-cosines"), StringComparison.Ordinal);
        }
    }

    public sealed class StateTable
    {
        [Fact]
        public void DeadLatentColumns_NameTheirWindows_AndARunShorterThanTheTrainingWindowShowsNotApplicable()
        {
            // Given a 10-step run: the training log's dead-latent window (1,000,000 samples) is longer than the run
            using var folder = new TemporaryDirectory();
            ReportDocument document = RunReport.Build(Train(folder, "--count", "1"));

            // When
            ReportTable table = AllBlocks(document.Sections).OfType<ReportTable>().Single();

            // Then the training window's column says n/a (not a 0 that could not have been anything else),
            // and the held-out one names its sample count
            Assert.Contains("dead (last 1,000,000 training samples)", table.Header);
            Assert.Contains(table.Header, h => h.StartsWith("dead (", StringComparison.Ordinal) && h.EndsWith(" held-out samples)", StringComparison.Ordinal));
            int training = table.Header.ToList().IndexOf("dead (last 1,000,000 training samples)");
            Assert.Equal("n/a", table.Rows.Single()[training]);
            Assert.Contains("longer than this 10-step run", table.Caption, StringComparison.Ordinal);
        }

        [Fact]
        public void RunLongerThanTheWindow_CountsDeadLatentsOverIt()
        {
            // Given step 30 of a run with batch 100 and a 1,000-sample window (10 steps), no held-out evaluation
            var specification = new RunSpecification(new Mfr.Data.DataSpecification(), [new Mfr.Sae.SaeConfig(8, 16, 2)],
                new TrainingConfig(SampleCount: 3000, BatchSize: 100, DeadLatentWindowSamples: 1000));
            var last = new StepMetrics(30, 3000, [0.5], [2], [4], [1], 0, null, [], 1);

            // When
            ReportTable table = RunStateTable.Build(specification, last, [], heldOut: null);

            // Then
            Assert.Equal(["SAE", "k", "loss (last batch)", "L0 (last batch)", "dead (last 1,000 training samples)", "re-inits"], table.Header);
            Assert.Equal("4", table.Rows.Single()[4]);
            Assert.DoesNotContain("n/a", table.Caption, StringComparison.Ordinal);
        }
    }
}

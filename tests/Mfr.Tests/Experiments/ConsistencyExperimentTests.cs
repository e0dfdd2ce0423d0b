using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Experiments;
using Mfr.IO;
using Mfr.Regularization;
using Mfr.Reports;
using Mfr.Sae;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Experiments;

public sealed class ConsistencyExperimentTests
{
    /// <summary>Writes <paramref name="rows"/> vectors of width 8, each a sum of two of 12 fixed random directions, and returns the path.</summary>
    internal static string WriteVectors(TemporaryDirectory folder, string name, int rows, ulong seed)
    {
        var random = new Random((int)seed);
        var directions = Enumerable.Range(0, 12 * 8).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var values = new float[rows * 8];
        for (int r = 0; r < rows; r++)
            for (int pick = 0; pick < 2; pick++)
            {
                int feature = random.Next(12);
                float magnitude = 1 + (float)random.NextDouble();
                for (int t = 0; t < 8; t++) values[r * 8 + t] += magnitude * directions[feature * 8 + t];
            }
        string path = folder.Combine(name);
        NpyWriter.Write(path, [rows, 8], values);
        return path;
    }

    /// <summary>A file-based experiment of 3 steps of 100 per run: 2 seeds x the 5 default variants, two SAEs of h 8, k 2.</summary>
    internal static ConsistencyExperimentConfig TinyFileConfig(TemporaryDirectory folder) => ConsistencyExperimentConfig.Default with
    {
        DataPath = WriteVectors(folder, "train.npy", 600, 1),
        HeldOutPath = WriteVectors(folder, "heldout.npy", 200, 2),
        LatentCount = 8, K = 2, SampleCount = 300, BatchSize = 100, Seeds = 2, EvaluationBatches = 1,
        Mfr = new MfrConfig(WarmupSteps: 1),
    };

    /// <summary>The tiny SynthSAEBench world (64 features, d 16): baseline and MFR at beta 0.1, two SAEs of h 32, k 4, 6 steps of 64, recovery every 2 steps.</summary>
    internal static ConsistencyExperimentConfig TinyWorldConfig { get; } = ConsistencyExperimentConfig.Default with
    {
        World = Data.SynthSaeBenchDataTests.Tiny,
        DataSeed = 5,
        LatentCount = 32, K = 4, SampleCount = 6 * 64, BatchSize = 64, Seeds = 2, EvaluationBatches = 1, RecoveryEverySteps = 2, BenchmarkSamples = 1000,
        Variants = [ConsistencyVariant.Baseline, new(MfrMode.Mfr, 0.1)],
        Mfr = new MfrConfig(WarmupSteps: 2, Reinitialization: new ReinitializationConfig(WindowSteps: 2)),
    };

    public sealed class TheRunMethod
    {
        [Fact]
        public void OnASynthSaeBenchWorld_MeasuresAgainstTheTruth_AndLogsTheRecoveryCurve()
        {
            // Given the tiny SynthSAEBench experiment
            using var folder = new TemporaryDirectory();
            string output = folder.Combine("out");

            // When it runs
            var result = ConsistencyExperiment.Run(TinyWorldConfig, output);

            // Then every SAE has its ground-truth MMCS and recovery, and every variant its stability against the truth
            Assert.NotNull(result);
            Assert.Equal(2 * 2 * 2, result.Saes.Count);
            Assert.All(result.Saes, row => Assert.Equal(3, row.Recovered!.Length));
            Assert.All(result.Saes, row => Assert.InRange(row.GroundTruthMmcs!.Value, -1, 1));
            Assert.All(result.Variants, v => Assert.Equal(2 * 2 * 32, v.StabilityVersusTruth!.StableCount + v.StabilityVersusTruth.UnstableCount));
            // and the baseline's union is the two saved SAEs' 64 latents matched to the world's 64 true features
            var union = result.Ensembles.First(e => e.Seed == 0);
            Assert.Equal(64, union.LatentCount);
            string final = Path.Combine(output, "seed-0", "baseline", "final");
            using (var first = SaeFiles.Load(TrainingCheckpoint.SaeFolder(final, 0)))
            using (var second = SaeFiles.Load(TrainingCheckpoint.SaeFolder(final, 1)))
            {
                var world = Mfr.Synthetic.SynthSaeBench.SynthSaeBenchSource.Open(TinyWorldConfig.WorldConfig()!);
                var expected = Mfr.Matching.FeatureMatching.RecoverGroundTruth([.. first.Decoder, .. second.Decoder], 64, world.TrueFeatures, 64, 16);
                Assert.Equal(expected.Mmcs, union.GroundTruthMmcs!.Value, 9);
                Assert.Equal(expected.Recovery.Select(r => r.Fraction), union.Recovered!);
            }
            // and each SAE carries the benchmark's headline metrics, measured by SynthSaeBenchMetrics on the saved SAE
            Assert.All(result.Saes, row => Assert.Equal(["mcc", "uniqueness", "precision", "recall", "f1", "accuracy", "explainedVariance", "shrinkage"], row.Benchmark!.Keys));
            using (var saved = SaeFiles.Load(TrainingCheckpoint.SaeFolder(Path.Combine(output, "seed-1", "mfr-beta-0.1", "final"), 1)))
            {
                var scores = Mfr.Evaluation.SynthSaeBenchMetrics.Evaluate(saved, Mfr.Synthetic.SynthSaeBench.SynthSaeBenchSource.Open(TinyWorldConfig.WorldConfig()!), 1000, 64);
                var row = result.Saes.Single(r => r.Variant == "mfr beta=0.1" && r.Seed == 1 && r.Index == 1);
                Assert.Equal((scores.Mcc, scores.F1, scores.Recall), (row.Benchmark!["mcc"], row.Benchmark["f1"], row.Benchmark["recall"]));
            }
            // and the world is the same for both seeds (data seed 5), the training seeds 0 and 1
            var seed0 = TrainingRun.ReadSpecification(Path.Combine(output, "seed-0", "baseline"));
            var seed1 = TrainingRun.ReadSpecification(Path.Combine(output, "seed-1", "baseline"));
            Assert.Equal(seed0.Data, seed1.Data);
            Assert.Equal(5UL, seed0.Data.SynthSaeBench!.Seed);
            Assert.Equal((0UL, 1UL), (seed0.Training.Seed, seed1.Training.Seed));
            // and ground-truth recovery was logged over training (steps 0, 2, 4, 6) for the report's curve
            var curve = Mfr.Evaluation.GroundTruthRecoveryEvaluator.ReadLog(Path.Combine(output, "seed-1", "mfr-beta-0.1", TrainingRun.MetricsFileName));
            Assert.Equal([0L, 2, 4, 6], curve.Select(line => line.Step));
        }

        [Fact]
        public void OnAFile_TrainsEverySeedAndVariant_MeasuresConsistency_AndWritesResultsThatReadBack()
        {
            // Given a tiny file-based experiment
            using var folder = new TemporaryDirectory();
            var config = TinyFileConfig(folder);
            string output = folder.Combine("out");

            // When it runs
            var result = ConsistencyExperiment.Run(config, output);

            // Then every (seed, variant) is a run folder with two SAEs, measured without ground truth
            Assert.NotNull(result);
            Assert.Equal(2 * 5 * 2, result.Saes.Count);
            Assert.All(result.Saes, row => Assert.Null(row.GroundTruthMmcs));
            Assert.True(File.Exists(Path.Combine(output, "seed-1", "mean-max-beta-0.1", "final", "sae-1", "cfg.json")));
            // and one cross-seed consistency per variant, with its step-0 numbers, no truth to compare stability with
            Assert.Equal(config.VariantList.Select(v => v.Name), result.Variants.Select(v => v.Variant));
            Assert.All(result.Variants, v => Assert.Equal((2, 2), (v.Final.RunCount, v.Final.MemberCount)));
            Assert.All(result.Variants, v => Assert.Null(v.StabilityVersusTruth));
            // and the uncoupled variants (baseline, auxk) as concatenated dictionaries, per seed
            Assert.Equal(["baseline", "auxk", "baseline", "auxk"], result.Ensembles.Select(e => e.Variant));
            Assert.All(result.Ensembles, e => Assert.Equal(16, e.LatentCount));
            // and the AuxK variant's runs carry the loss, the others not
            Assert.Equal(ConsistencyVariant.GaoAuxKCoefficient, TrainingRun.ReadSpecification(Path.Combine(output, "seed-0", "auxk")).Training.AuxKCoefficient);
            Assert.Equal(0, TrainingRun.ReadSpecification(Path.Combine(output, "seed-0", "baseline")).Training.AuxKCoefficient);
            // and results.json reads back as the same typed result
            var read = Assert.IsType<ConsistencyExperimentResult>(ExperimentFolder.ReadResults(output));
            Assert.Equal(result.Saes, read.Saes, (a, b) => a.Variant == b.Variant && a.Seed == b.Seed && a.Mse == b.Mse && a.DeadLatents == b.DeadLatents);
            Assert.Equal(result.Variants.Select(v => v.Final.PwMcc), read.Variants.Select(v => v.Final.PwMcc));
            Assert.Equal(result.Variants.Select(v => v.StepZero.SharedAtThreshold[1]), read.Variants.Select(v => v.StepZero.SharedAtThreshold[1]));
            Assert.Equal(result.Findings.Select(f => f.Text), read.Findings.Select(f => f.Text));
            Assert.Equal(result.Config.VariantList, read.Config.VariantList);
            // and, no latent having been silent for 100,000 samples in a 300-sample run, the note that AuxK never acted
            var idle = Assert.Single(result.Findings, f => f.Kind == FindingKind.AuxKNeverActed);
            Assert.Equal("auxk", idle.Subject);
            // and one answer per coupled variant
            Assert.Equal(["mfr beta=auto", "mfr beta=0.1", "mean-max beta=0.1"],
                result.Findings.Where(f => f.Kind == FindingKind.CouplingVersusBaseline).Select(f => f.Subject));
        }

        [Fact]
        public void Interrupted_ThenRunAgain_EndsWithTheResultsOfAnUninterruptedRun()
        {
            // Given the tiny file experiment with baseline and mean-max, run once uninterrupted
            using var folder = new TemporaryDirectory();
            var config = TinyFileConfig(folder) with { Variants = [ConsistencyVariant.Baseline, new(MfrMode.MeanMax, 0.1)] };
            var whole = ConsistencyExperiment.Run(config, folder.Combine("whole"))!;

            // When a second copy is interrupted after step 2 of its third run (seed 1, baseline), then run again into the same folder
            using var cancellation = new CancellationTokenSource();
            var interrupted = ConsistencyExperiment.Run(config, folder.Combine("resumed"),
                label => new SynchronousProgress<TrainingProgress>(p => { if (label == "seed 1 baseline" && p.Step == 2) cancellation.Cancel(); }), cancellation.Token);
            bool resultsAfterInterrupt = File.Exists(ExperimentFolder.ResultsPath(folder.Combine("resumed")));
            var resumed = ConsistencyExperiment.Run(config, folder.Combine("resumed"));

            // Then the interrupted call returned nothing and wrote no results, and the resumed one reports exactly what the uninterrupted one did
            Assert.Null(interrupted);
            Assert.False(resultsAfterInterrupt);
            Assert.NotNull(resumed);
            Assert.Equal(whole.Saes.Select(r => (r.Variant, r.Seed, r.Mse, r.PartnerMmcs)), resumed.Saes.Select(r => (r.Variant, r.Seed, r.Mse, r.PartnerMmcs)));
            Assert.Equal(whole.Variants.Select(v => (v.Final.PwMcc, v.StepZero.PwMcc)), resumed.Variants.Select(v => (v.Final.PwMcc, v.StepZero.PwMcc)));
        }

        [Fact]
        public void TheReport_HasTheConsistencySection_WithTheStepZeroColumns()
        {
            // Given a finished tiny experiment
            using var folder = new TemporaryDirectory();
            string output = folder.Combine("out");
            ConsistencyExperiment.Run(TinyFileConfig(folder) with { Variants = [ConsistencyVariant.Baseline, new(MfrMode.MeanMax, 0.1)] }, output);

            // When its report is built
            var markdown = MarkdownReportWriter.Write(RunReport.Build(output)).Markdown;

            // Then it has the experiment's section and its consistency table with the step-0 numbers beside the final ones
            Assert.Contains("Consistency experiment (issue 14)", markdown);
            Assert.Contains("PW-MCC", markdown);
            Assert.Contains("at step 0", markdown);
            Assert.Contains("mean-max beta=0.1", markdown);
        }
    }

    public sealed class TheMeasureRunsMethod
    {
        // A finished-looking run folder: run.json on the file data with training seed `seed`, and final/sae-0 with decoder rows `rows` (d 2, h 3).
        private static string Run(TemporaryDirectory folder, string name, string data, ulong seed, float[] rows)
        {
            string run = folder.Combine(name);
            var specification = new RunSpecification(new DataSpecification("file", Path: data), [new SaeConfig(2, 3, 1)], new TrainingConfig(100, 10, Seed: seed));
            Directory.CreateDirectory(run);
            File.WriteAllText(Path.Combine(run, TrainingRun.SpecificationFileName), System.Text.Json.JsonSerializer.Serialize(specification, MetricLog.JsonOptions));
            using var sae = new TopKSae(specification.Saes[0]);
            rows.CopyTo(sae.Weights);
            sae.RefreshDecoder();
            SaeFiles.Save(sae, TrainingCheckpoint.SaeFolder(Path.Combine(run, "final"), 0));
            return run;
        }

        [Fact]
        public void TwoRuns_GiveTheHandComputedPwMcc_AndSameSeedRunsStartIdentical()
        {
            // Given run A's decoder rows e1, e2, (e1 + e2) and run B's: a2, -a0, 2 a1 (RunConsistencyTests' case), both trained from seed 4
            using var folder = new TemporaryDirectory();
            string data = folder.Combine("x.npy");
            NpyWriter.Write(data, [4, 2], [1, 0, 0, 1, 1, 1, 2, 0]);
            float half = (float)Math.Sqrt(0.5);
            string a = Run(folder, "a", data, 4, [1, 0, 0, 1, 3, 3]);
            string b = Run(folder, "b", data, 4, [half, half, -1, 0, 0, 2]);

            // When the two runs are measured after the fact
            var result = ConsistencyExperiment.MeasureRuns([a, b]);

            // Then PW-MCC is the optimal signed matching's (0.7071 + 0 + 0.7071) / 3, shared@0.7 2/3, shared@0.9 0
            var final = result.Consistency.Final;
            Assert.Equal(Math.Sqrt(2) / 3, final.PwMcc, 1e-6);
            Assert.Equal([2.0 / 3, 2.0 / 3, 0.0], final.SharedAtThreshold.Select(v => Math.Round(v, 9)), (x, y) => Math.Abs(x - y) < 1e-6);
            // and runs from the same seed start from the same decoders: step-0 PW-MCC 1, every latent shared
            Assert.Equal(1.0, result.Consistency.StepZero.PwMcc, 6);
            Assert.All(result.Consistency.StepZero.SharedAtThreshold, share => Assert.Equal(1.0, share));
            // and without a saved evaluation the held-out numbers are missing (NaN, dead -1), not made up
            Assert.All(result.Saes, row => Assert.True(double.IsNaN(row.Mse) && row.DeadLatents == -1));
            Assert.Equal(["a", "b"], result.Saes.Select(row => row.Variant));
        }

        [Fact]
        public void RunsOfDifferentShapes_OrASingleRun_AreRefusedInOneLine()
        {
            using var folder = new TemporaryDirectory();
            string data = folder.Combine("x.npy");
            NpyWriter.Write(data, [4, 2], [1, 0, 0, 1, 1, 1, 2, 0]);
            string a = Run(folder, "a", data, 1, [1, 0, 0, 1, 3, 3]);
            string other = folder.Combine("c");
            Directory.CreateDirectory(other);
            var specification = new RunSpecification(new DataSpecification("file", Path: data), [new SaeConfig(2, 4, 1)], new TrainingConfig(100, 10));
            File.WriteAllText(Path.Combine(other, TrainingRun.SpecificationFileName), System.Text.Json.JsonSerializer.Serialize(specification, MetricLog.JsonOptions));

            var shapes = Assert.Throws<ArgumentException>(() => ConsistencyExperiment.MeasureRuns([a, other]));
            var single = Assert.Throws<ArgumentException>(() => ConsistencyExperiment.MeasureRuns([a]));

            Assert.Contains("same shapes", shapes.Message);
            Assert.StartsWith("--runs", single.Message);
            Assert.DoesNotContain('\n', shapes.Message);
        }

        [Fact]
        public void TheSameRunTwice_IsRefused_RatherThanMeasuredAsPerfectAgreement()
        {
            // Given one run folder, named twice (once with a trailing separator)
            using var folder = new TemporaryDirectory();
            string data = folder.Combine("x.npy");
            NpyWriter.Write(data, [4, 2], [1, 0, 0, 1, 1, 1, 2, 0]);
            string a = Run(folder, "a", data, 1, [1, 0, 0, 1, 3, 3]);

            var error = Assert.Throws<ArgumentException>(() => ConsistencyExperiment.MeasureRuns([a, a + Path.DirectorySeparatorChar]));

            Assert.Equal($"--runs names {Path.GetFullPath(a)} 2 times; each run can be compared only with other runs.", error.Message);
        }
    }
}

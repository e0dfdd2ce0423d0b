using Mfr.Data;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Experiments;

public sealed class ExperimentFolderTests
{
    private static KSweepResult Sweep() => new(
        new KSweepConfig(new DataSpecification("file", Path: "/data/train.npy"), 16, [2, 4], new TrainingConfig(SampleCount: 100, BatchSize: 50), new MfrConfig()),
        [new KSweepRow(2, 1.0, 0.9, -0.1, 2, 2, 0, 1), new KSweepRow(4, 0.8, 0.7, -0.125, 4, 4, 1, 0)],
        [[0, 1.5], [1.5, 0]], [[0, 0.5], [0.5, 0]], 100, 3.0, [0.97]);

    public sealed class TheResultsFile
    {
        [Fact]
        public void RecordsItsKindAndSchemaVersionFirst_AndReadsBackAsTheSameType()
        {
            // Given a sweep result written by the folder's owner
            using var folder = new TemporaryDirectory();
            var sweep = Sweep();

            // When
            ExperimentFolder.WriteResults(folder.Path, sweep);
            var read = ExperimentFolder.ReadResults(folder.Path);

            // Then: kind and version lead the file, and the reader returns the typed record without guessing from properties
            string text = File.ReadAllText(folder.Combine("results.json"));
            Assert.StartsWith("{\n  \"kind\": \"sweep\",\n  \"schemaVersion\": 1,", text.ReplaceLineEndings("\n"));
            var typed = Assert.IsType<KSweepResult>(read);
            Assert.Equal([2, 4], typed.Config.Ks);
            Assert.Equal(0.7, typed.Rows[1].MfrLoss);
            Assert.Equal([0.97], typed.MfrPairMmcs!);
        }

        [Fact]
        public void EmbeddingExperiments_HaveTheirOwnKind()
        {
            using var folder = new TemporaryDirectory();
            var eeg = new EegExperimentResult(new EegExperimentConfig { Folder = "/eeg" }, new EegPreparation("/c/train.npy", "/c/heldout.npy", true, 10, 4, []), Sweep());

            ExperimentFolder.WriteResults(folder.Path, eeg);

            var typed = Assert.IsType<EegExperimentResult>(ExperimentFolder.ReadResults(folder.Path));
            Assert.Equal("/eeg", typed.Config.Folder);
            Assert.Equal(250, typed.Config.Preprocessing.TargetSamplingRateHz);
            Assert.Equal(2, typed.Sweep.Rows.Count);
        }

        [Fact]
        public void WithoutAKind_IsRefusedInOneLineNamingTheFile()
        {
            // Given a results.json from before the kind was recorded
            using var folder = new TemporaryDirectory();
            File.WriteAllText(folder.Combine("results.json"), "{\"rows\": [], \"consistency\": []}");

            // When
            var error = Assert.Throws<InvalidDataException>(() => ExperimentFolder.ReadResults(folder.Path));

            // Then
            Assert.Contains(folder.Combine("results.json"), error.Message);
            Assert.Contains("'kind'", error.Message);
            Assert.DoesNotContain("\n", error.Message);
        }

        [Fact]
        public void OfANewerSchema_IsRefused()
        {
            using var folder = new TemporaryDirectory();
            File.WriteAllText(folder.Combine("results.json"), "{\"kind\": \"sweep\", \"schemaVersion\": 99}");

            var error = Assert.Throws<InvalidDataException>(() => ExperimentFolder.ReadResults(folder.Path));

            Assert.Contains("schema 99", error.Message);
        }

        [Fact]
        public void Missing_IsNull()
        {
            using var folder = new TemporaryDirectory();

            Assert.Null(ExperimentFolder.ReadResults(folder.Path));
        }
    }

    public sealed class TheNames
    {
        [Fact]
        public void DefaultPath_IsRunsNameAndTime_UnderTheWorkingDirectory()
        {
            string path = ExperimentFolder.DefaultPath("eeg", new DateTime(2026, 12, 6, 1, 2, 3));

            Assert.Equal(Path.GetFullPath(Path.Combine("runs", "eeg-20261206-010203")), path);
        }

        [Theory]
        [InlineData("mfr beta=auto", "mfr-beta-auto", "MFR β=auto")]
        [InlineData("penalty beta=0.1", "penalty-beta-0.1", "penalty β=0.1")]
        [InlineData("mean-max beta=0.1", "mean-max-beta-0.1", "mean-max β=0.1")]
        [InlineData("baseline", "baseline", "baseline")]
        [InlineData("reinit", "reinit", "reinit")]
        public void VariantFolder_AndItsLabel(string variant, string folder, string label)
        {
            Assert.Equal(folder, ExperimentFolder.VariantFolderName(variant));
            Assert.Equal(label, ExperimentFolder.VariantLabel(Path.Combine("/x", "seed-0", folder)));
        }
    }

    public sealed class TheSyntheticExperiment
    {
        [Fact]
        public void WritesItsOwnResults_SoTheCommandNeedNot()
        {
            // Given a tiny synthetic experiment
            using var folder = new TemporaryDirectory();
            var config = new SyntheticExperimentConfig(new SyntheticDataConfig(InputDim: 8, FeatureCount: 24, GroupCount: 3, ActiveFeatures: 3), LatentCount: 12, K: 2,
                SampleCount: 200, BatchSize: 100, Mfr: new MfrConfig(WarmupSteps: 1), CrossRunConsistency: false, EvaluationBatches: 1, RecoveryEverySteps: 0);

            // When
            var result = SyntheticExperiment.Run(config, folder.Path)!;

            // Then
            var read = Assert.IsType<SyntheticExperimentResult>(ExperimentFolder.ReadResults(folder.Path));
            Assert.Equal(result.Saes.Select(s => s.Mse), read.Saes.Select(s => s.Mse));
        }
    }

    [Theory]
    [InlineData("synthetic")]
    [InlineData("sweep")]
    public void AnExperimentIntoATrainingRunsFolder_IsRefused_LeavingTheRunAsItWas(string command)
    {
        // Given a folder holding a training run (its run.json), and for the sweep a file of vectors elsewhere
        using var folder = new TemporaryDirectory();
        using var data = new TemporaryDirectory();
        File.WriteAllText(folder.Combine(TrainingRun.SpecificationFileName), "{}");
        var vectors = new float[400 * 8];
        new Mfr.Numerics.Rng(3).FillGaussian(vectors);
        Mfr.IO.NpyWriter.Write(data.Combine("train.npy"), [400, 8], vectors);
        var error = new StringWriter();

        // When an experiment is pointed at it
        string[] args = command == "synthetic"
            ? ["synthetic", "--samples", "200", "--batch-size", "100", "--latents", "16", "--k", "2", "--out", folder.Path]
            : ["sweep", "--data", data.Combine("train.npy"), "--samples", "200", "--batch-size", "100", "--latents", "16", "--k", "2", "4", "--out", folder.Path];
        int code = Mfr.Cli.CliApplication.Run(args, new StringWriter(), error);

        // Then a usage error naming the folder, and nothing is added beside the run's file
        Assert.Equal(2, code);
        Assert.Contains($"{folder.Path} holds a training run (run.json), not an experiment", error.ToString());
        Assert.Equal([TrainingRun.SpecificationFileName], folder.FileNames());
        Assert.Empty(Directory.GetDirectories(folder.Path));
    }
}

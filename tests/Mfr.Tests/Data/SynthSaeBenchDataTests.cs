using System.Text.Json;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Synthetic.SynthSaeBench;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Data;

/// <summary>SynthSAEBench as a data source of runs: opened, checked, evaluated on held-out samples, recorded in run.json and resumed.</summary>
public sealed class SynthSaeBenchDataTests
{
    /// <summary>A world small enough to train in milliseconds: 64 features in d 16, two trees, rank-3 copula.</summary>
    internal static readonly SynthSaeBenchConfig Tiny = new(
        FeatureCount: 64, InputDim: 16, MinFiringProbability: 0.02, HierarchyRootCount: 2, HierarchyBranching: 2, HierarchyDepth: 2,
        CorrelationRank: 3, OrthogonalizationSteps: 20, Seed: 5);

    private static RunSpecification SmallRun(int evaluateEvery = 5) => new(
        DataSpecification.ForSynthSaeBench(Tiny),
        [new SaeConfig(16, 32, 4), new SaeConfig(16, 32, 4)],
        new TrainingConfig(SampleCount: 12 * 64, BatchSize: 64, LearningRate: 0.01f, Seed: 7, CheckpointEverySteps: 4, EvaluationEverySteps: evaluateEvery),
        new MfrConfig(MfrMode.Mfr, WarmupSteps: 5, Reinitialization: new ReinitializationConfig(WindowSteps: 8)));

    private static List<RecoveryMetrics> Recovery(TemporaryDirectory folder, string run) =>
        [.. GroundTruthRecoveryEvaluator.ReadLog(folder.Combine(run, TrainingRun.MetricsFileName))];

    [Fact]
    public void Open_GivesTheGenerator_AndCheck_ItsWidth_WithoutAFile()
    {
        // Given a SynthSAEBench specification
        var specification = DataSpecification.ForSynthSaeBench(Tiny);

        // When it is opened and checked
        using var source = DataSources.Open(specification);
        var batch = new float[4 * 16];
        source.ReadBatch(3, 4, batch);
        var expected = new float[4 * 16];
        new SynthSaeBenchSource(Tiny).ReadBatch(3, 4, expected);

        // Then it is the generator with those settings, of width d
        Assert.Equal(16, DataSources.Check(specification));
        Assert.Equal(expected, batch);
        Assert.True(specification.IsGenerated);
        Assert.Equal(16, specification.GeneratedDimension);
    }

    [Fact]
    public void OpenGroundTruth_GivesBothGeneratorsTrueFeaturesAlike_AndNoneForAFile()
    {
        // When the ground truth of the built-in benchmark and of SynthSAEBench are opened
        using var builtIn = DataSources.OpenGroundTruth(DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 8, FeatureCount: 24, GroupCount: 2, ActiveFeatures: 3)))!;
        using var benchmark = DataSources.OpenGroundTruth(DataSpecification.ForSynthSaeBench(Tiny))!;

        // Then each exposes rows [n, d] of its own features
        Assert.Equal((24, 8, 24 * 8), (builtIn.FeatureCount, builtIn.Dimension, builtIn.TrueFeatures.Length));
        Assert.Equal((64, 16, 64 * 16), (benchmark.FeatureCount, benchmark.Dimension, benchmark.TrueFeatures.Length));
        Assert.Equal(new SynthSaeBenchSource(Tiny).TrueFeatures.ToArray(), benchmark.TrueFeatures.ToArray());
        Assert.Null(DataSources.OpenGroundTruth(new DataSpecification("file", Path: typeof(SynthSaeBenchDataTests).Assembly.Location)));
    }

    [Fact]
    public void Open_SharesTheWorldBetweenCallsWithTheSameSettings_AndRebuildsItForOthers()
    {
        var first = SynthSaeBenchSource.Open(Tiny);

        Assert.Same(first, SynthSaeBenchSource.Open(Tiny with { }));
        Assert.NotSame(first, SynthSaeBenchSource.Open(Tiny with { Seed = 6 }));
    }

    [Fact]
    public void HeldOutBatches_AreFreshSamples_DisjointFromTraining_AndTheSameEachTime()
    {
        // Given the training batches of a run's first steps (rows where no feature fires are the bias alone, the same everywhere: left out)
        var specification = DataSpecification.ForSynthSaeBench(Tiny);
        using var training = DataSources.Open(specification);
        string biasOnly = string.Join(",", new SynthSaeBenchSource(Tiny).Bias.ToArray());
        var trainingRows = new HashSet<string>();
        var batch = new float[64 * 16];
        for (int b = 0; b < 8; b++)
        {
            training.ReadBatch(b, 64, batch);
            for (int row = 0; row < 64; row++) trainingRows.Add(string.Join(",", batch.AsSpan(row * 16, 16).ToArray()));
        }

        // When the held-out data is opened twice
        var (heldOut, firstBatch) = HeldOutData.Open(specification);
        var (again, againFirst) = HeldOutData.Open(specification);
        var held = new float[64 * 16];
        var heldAgain = new float[64 * 16];
        heldOut.ReadBatch(firstBatch, 64, held);
        again.ReadBatch(againFirst, 64, heldAgain);

        // Then it starts far above any training batch, no held-out row is a training row, and it is deterministic
        Assert.Equal(HeldOutData.GeneratedStreamOffset, firstBatch);
        trainingRows.Remove(biasOnly);
        Assert.True(trainingRows.Count > 400, $"{trainingRows.Count} distinct training rows");
        for (int row = 0; row < 64; row++)
        {
            string heldRow = string.Join(",", held.AsSpan(row * 16, 16).ToArray());
            if (heldRow != biasOnly) Assert.DoesNotContain(heldRow, trainingRows);
        }
        Assert.Equal(held, heldAgain);
    }

    [Fact]
    public void RunJson_RoundTripsTheBenchmarkSettings()
    {
        // Given a run on a custom SynthSAEBench world
        using var folder = new TemporaryDirectory();
        using (TrainingRun.Start(SmallRun(), folder.Combine("run")))
        {
        }

        // When its run.json is read back
        var read = TrainingRun.ReadSpecification(folder.Combine("run"));

        // Then it records the kind and every setting, and says so in the JSON
        Assert.Equal(DataSpecification.SynthSaeBenchKind, read.Data.Kind);
        Assert.Equal(Tiny, read.Data.SynthSaeBench);
        string json = File.ReadAllText(folder.Combine("run", TrainingRun.SpecificationFileName));
        Assert.Equal(20, JsonDocument.Parse(json).RootElement.GetProperty("data").GetProperty("synthSaeBench").GetProperty("orthogonalizationSteps").GetInt32());
    }

    [Fact]
    public void Run_LogsGroundTruthRecovery_AgainstTheBenchmarksDirections()
    {
        // Given a run with the evaluator its data gives
        using var folder = new TemporaryDirectory();
        var specification = SmallRun();
        var evaluator = GroundTruthRecoveryEvaluator.For(specification.Data);

        // When it trains
        using var run = TrainingRun.Start(specification, folder.Combine("run"), evaluator: evaluator);

        // Then recovery is logged at 0, 5, 10, 12, and the last line is the GT MMCS of the final decoders against the directions
        Assert.NotNull(evaluator);
        var lines = Recovery(folder, "run");
        Assert.Equal([0L, 5, 10, 12], lines.Select(l => l.Step));
        var truth = new SynthSaeBenchSource(Tiny);
        var direct = new GroundTruthRecoveryEvaluator(truth.TrueFeatures, 64, 16).Measure(12, run.Trainer.Members.Select(m => m.Sae).ToArray());
        Assert.Equal(direct.Mmcs, lines[^1].Mmcs);
        Assert.True(lines[^1].Mmcs[0] > lines[0].Mmcs[0], $"GT MMCS {lines[0].Mmcs[0]} -> {lines[^1].Mmcs[0]}");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void InterruptedAndResumed_EndsBitIdentical_WithTheSameRecoveryLines(int interruptAfter)
    {
        using var folder = new TemporaryDirectory();
        var specification = SmallRun();

        // Given an uninterrupted run
        using var straight = TrainingRun.Start(specification, folder.Combine("straight"), evaluator: GroundTruthRecoveryEvaluator.For(specification.Data));

        // And a run cancelled after step interruptAfter, then resumed from its run.json alone
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Step == interruptAfter) cancellation.Cancel(); });
        using (var interrupted = TrainingRun.Start(specification, folder.Combine("resumed"), progress, cancellation.Token, GroundTruthRecoveryEvaluator.For(specification.Data)))
        {
            Assert.False(interrupted.Completed);
        }
        var recorded = TrainingRun.ReadSpecification(folder.Combine("resumed"));
        using var resumed = TrainingRun.Resume(folder.Combine("resumed"), evaluator: GroundTruthRecoveryEvaluator.For(recorded.Data));

        // Then weights and recovery lines are those of the uninterrupted run
        Assert.True(resumed.Completed);
        for (int m = 0; m < 2; m++)
            Assert.True(straight.Trainer.Members[m].Sae.Weights.SequenceEqual(resumed.Trainer.Members[m].Sae.Weights), $"SAE {m} weights differ");
        Assert.Equal(Recovery(folder, "straight").Select(l => l.Mmcs), Recovery(folder, "resumed").Select(l => l.Mmcs));
    }
}

using System.Text.Json;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

/// <summary>The periodic evaluation hook of a run: when it runs, what it logs, and that it survives resume without changing training.</summary>
public sealed class PeriodicEvaluationTests
{
    // 12 steps of 64; evaluation every 5 steps: lines at 0, 5, 10 and the last step, 12.
    private static RunSpecification SmallRun(MfrMode mode = MfrMode.Mfr, int evaluateEvery = 5) => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 24, FeatureCount: 48, GroupCount: 4, ActiveFeatures: 4, Seed: 3)),
        [new SaeConfig(24, 32, 4), new SaeConfig(24, 32, 6)],
        new TrainingConfig(SampleCount: 12 * 64, BatchSize: 64, LearningRate: 0.01f, Seed: 7, CheckpointEverySteps: 4, EvaluationEverySteps: evaluateEvery),
        new MfrConfig(mode, WarmupSteps: 5, Reinitialization: new ReinitializationConfig(WindowSteps: 8)));

    private static GroundTruthRecoveryEvaluator Evaluator(RunSpecification specification) => GroundTruthRecoveryEvaluator.For(specification.Data)!;

    private static List<RecoveryMetrics> Recovery(TemporaryDirectory folder, string run) =>
        [.. GroundTruthRecoveryEvaluator.ReadLog(folder.Combine(run, TrainingRun.MetricsFileName))];

    [Fact]
    public void Run_WithEvaluator_LogsRecoveryAtStepZero_EveryNSteps_AndAtTheLastStep()
    {
        using var folder = new TemporaryDirectory();
        var specification = SmallRun();

        using (TrainingRun.Start(specification, folder.Combine("run"), evaluator: Evaluator(specification)))
        {
        }

        var lines = Recovery(folder, "run");
        Assert.Equal([0L, 5, 10, 12], lines.Select(l => l.Step));
        Assert.All(lines, l => Assert.Equal(2, l.Mmcs.Length));
        Assert.All(lines, l => Assert.Equal([0.7, 0.8, 0.9], l.Thresholds));
        Assert.All(lines, l => Assert.All(l.Recovered, perSae => Assert.All(perSae, f => Assert.InRange(f, 0, 1))));
        // training moves the decoders towards the true features
        Assert.True(lines[^1].Mmcs[0] > lines[0].Mmcs[0], $"ground-truth MMCS {lines[0].Mmcs[0]} -> {lines[^1].Mmcs[0]}");
    }

    [Fact]
    public void RecoveryLines_MatchAFreshMeasurementOfTheFinalSaes()
    {
        using var folder = new TemporaryDirectory();
        var specification = SmallRun();

        using var run = TrainingRun.Start(specification, folder.Combine("run"), evaluator: Evaluator(specification));

        RecoveryMetrics logged = Recovery(folder, "run")[^1];
        RecoveryMetrics fresh = Evaluator(specification).Measure(12, run.Trainer.Members.Select(m => m.Sae).ToArray());
        Assert.Equal(fresh.Mmcs, logged.Mmcs);
        Assert.Equal(fresh.Recovered[1], logged.Recovered[1]);
    }

    [Fact]
    public void IntervalZero_OrNoEvaluator_WritesNoRecoveryLines()
    {
        using var folder = new TemporaryDirectory();
        var off = SmallRun(evaluateEvery: 0);

        using (TrainingRun.Start(off, folder.Combine("off"), evaluator: Evaluator(off)))
        using (TrainingRun.Start(SmallRun(), folder.Combine("none")))
        {
        }

        Assert.Empty(Recovery(folder, "off"));
        Assert.Empty(Recovery(folder, "none"));
    }

    [Theory]
    [InlineData(MfrMode.Baseline)]
    [InlineData(MfrMode.Mfr)]
    public void Evaluator_DoesNotChangeWhatIsTrained(MfrMode mode)
    {
        using var folder = new TemporaryDirectory();
        var specification = SmallRun(mode, evaluateEvery: 1);

        using var with = TrainingRun.Start(specification, folder.Combine("with"), evaluator: Evaluator(specification));
        using var without = TrainingRun.Start(specification, folder.Combine("without"));

        Assert.Equal(13, Recovery(folder, "with").Count);
        for (int m = 0; m < 2; m++)
        {
            Assert.True(with.Trainer.Members[m].Sae.Weights.SequenceEqual(without.Trainer.Members[m].Sae.Weights), $"SAE {m} weights differ");
            Assert.True(with.Trainer.Members[m].Sae.Bias.SequenceEqual(without.Trainer.Members[m].Sae.Bias), $"SAE {m} bias differs");
        }
    }

    [Theory]
    [InlineData(MfrMode.Baseline, 5)]
    [InlineData(MfrMode.Mfr, 5)]
    [InlineData(MfrMode.Mfr, 6)]
    [InlineData(MfrMode.Mfr, 8)]
    public void InterruptedAndResumed_LogsTheSameRecoveryLinesOnce_AndEndsBitIdentical(MfrMode mode, int interruptAfter)
    {
        using var folder = new TemporaryDirectory();
        var specification = SmallRun(mode);

        // Given an uninterrupted run
        using var straight = TrainingRun.Start(specification, folder.Combine("straight"), evaluator: Evaluator(specification));

        // And a run cancelled after step interruptAfter (on an evaluation step, between checkpoints, on a checkpoint), then resumed
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Step == interruptAfter) cancellation.Cancel(); });
        using (var interrupted = TrainingRun.Start(specification, folder.Combine("resumed"), progress, cancellation.Token, Evaluator(specification)))
        {
            Assert.False(interrupted.Completed);
        }
        using var resumed = TrainingRun.Resume(folder.Combine("resumed"), evaluator: Evaluator(specification));

        // Then the recovery lines are those of the uninterrupted run, each step once, and the weights are bit-identical
        var straightLines = Recovery(folder, "straight");
        var resumedLines = Recovery(folder, "resumed");
        Assert.Equal([0L, 5, 10, 12], resumedLines.Select(l => l.Step));
        Assert.Equal(straightLines.Select(l => l.Mmcs), resumedLines.Select(l => l.Mmcs));
        Assert.Equal(straightLines.Select(l => l.Recovered[0]), resumedLines.Select(l => l.Recovered[0]));
        Assert.Equal(straightLines.Select(l => l.Recovered[1]), resumedLines.Select(l => l.Recovered[1]));
        for (int m = 0; m < 2; m++)
        {
            Assert.True(straight.Trainer.Members[m].Sae.Weights.SequenceEqual(resumed.Trainer.Members[m].Sae.Weights), $"SAE {m} weights differ");
        }
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), MetricLog.ReadSteps(folder.Combine("resumed", TrainingRun.MetricsFileName)).Select(s => s.Step));
    }

    [Fact]
    public void RecoveryLine_RoundTripsThroughTheLog_AndStepReadersSkipIt()
    {
        // Given a log with a step line and a recovery line
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("metrics.jsonl");
        var written = new RecoveryMetrics(20, [0.7, 0.8, 0.9], [0.51, 0.49], [[0.3, 0.2, 0.08], [0.28, 0.19, 0.07]]);
        using (var log = new MetricLog(path, keepThroughStep: 0))
        {
            log.Write(new StepMetrics(20, 1280, [0.5, 0.6], [4, 6], [0, 1], [0.1, 0.2], 0, null, [], 1.5));
            log.Write(GroundTruthRecoveryEvaluator.Type, 20, written);
        }

        // When
        var read = GroundTruthRecoveryEvaluator.ReadLog(path).Single();

        // Then
        Assert.Equal(written.Step, read.Step);
        Assert.Equal(written.Thresholds, read.Thresholds);
        Assert.Equal(written.Mmcs, read.Mmcs);
        Assert.Equal(written.Recovered, read.Recovered);
        Assert.Equal(0.07, read.RecoveredAt(1, 0.9));
        Assert.Single(MetricLog.ReadSteps(path));
        Assert.Empty(MetricLog.ReadReinitializations(path));
        Assert.StartsWith("{\"type\":\"recovery\",\"step\":20,", File.ReadAllLines(path)[1]);
    }

    [Fact]
    public void OldLogWithoutRecoveryLines_ReadsAsNone()
    {
        using var folder = new TemporaryDirectory();
        string path = folder.Combine("metrics.jsonl");
        File.WriteAllText(path, """
            {"type":"step","step":1,"samples":64,"losses":[0.5],"l0":[4],"deadLatents":[0],"reinitScores":[0.1],"penalty":0,"beta":null,"pairMmcs":[],"elapsedSeconds":0.1}
            {"type":"reinit","step":1,"sae":0,"score":3.1,"count":1}

            """);

        Assert.Empty(GroundTruthRecoveryEvaluator.ReadLog(path));
        Assert.Single(MetricLog.ReadSteps(path));
    }

    [Fact]
    public void OldRunJsonWithoutTheInterval_ReadsWithTheDefault()
    {
        // Given the "training" object of a run.json written before the setting existed
        var node = JsonSerializer.SerializeToNode(new TrainingConfig(SampleCount: 640, BatchSize: 64, EvaluationEverySteps: 3), MetricLog.JsonOptions)!.AsObject();
        Assert.True(node.Remove("evaluationEverySteps"));

        // When
        var config = JsonSerializer.Deserialize<TrainingConfig>(node.ToJsonString(), MetricLog.JsonOptions)!;

        // Then
        Assert.Equal(TrainingConfig.DefaultEvaluationEverySteps, config.EvaluationEverySteps);
        Assert.Equal(640, config.SampleCount);
    }

    [Theory]
    [InlineData("step")]
    [InlineData("reinit")]
    public void WritingAReservedLineType_Throws(string type)
    {
        using var folder = new TemporaryDirectory();
        using var log = new MetricLog(folder.Combine("metrics.jsonl"), keepThroughStep: 0);

        Assert.Throws<ArgumentException>(() => log.Write(type, 1, new { value = 1 }));
    }

    [Fact]
    public void NegativeInterval_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new TrainingConfig(EvaluationEverySteps: -1).Validate());
    }
}

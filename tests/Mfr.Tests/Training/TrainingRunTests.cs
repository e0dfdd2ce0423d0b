using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

public sealed class TrainingRunTests
{
    private static RunSpecification SmallRun(MfrConfig? regularization = null) => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 24, FeatureCount: 48, GroupCount: 4, ActiveFeatures: 4, Seed: 3)),
        [new SaeConfig(24, 32, 4), new SaeConfig(24, 32, 6)],
        new TrainingConfig(SampleCount: 12 * 64, BatchSize: 64, LearningRate: 0.01f, Seed: 7, CheckpointEverySteps: 4),
        regularization);

    [Theory]
    [InlineData(MfrMode.Baseline, 1, 0)]
    [InlineData(MfrMode.Mfr, 1, 0)]
    [InlineData(MfrMode.Mfr, 4, 0)]
    [InlineData(MfrMode.MeanMax, 1, 0)]
    [InlineData(MfrMode.Baseline, 1, 1.0 / 32)]
    public void InterruptedAndResumedRun_EndsBitIdenticalToUninterruptedRun(MfrMode mode, int refresh, double auxK)
    {
        using var folder = new TemporaryDirectory();
        var specification = SmallRun(new MfrConfig(mode, WarmupSteps: 5, Reinitialization: new ReinitializationConfig(WindowSteps: 8), AssignmentRefreshSteps: refresh));
        // AuxK with a 2-step dead window, so that it acts before and after the interruption.
        if (auxK > 0) specification = specification with { Training = specification.Training with { AuxKCoefficient = auxK, DeadLatentWindowSamples = 128 } };

        // Given an uninterrupted run
        using var straight = TrainingRun.Start(specification, folder.Combine("straight"));

        // And a run cancelled after step 6 (between checkpoints), then resumed
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Step == 6) cancellation.Cancel(); });
        using (var interrupted = TrainingRun.Start(specification, folder.Combine("resumed"), progress, cancellation.Token))
        {
            Assert.False(interrupted.Completed);
            Assert.Equal(6, interrupted.Trainer.Step);
        }
        using var resumed = TrainingRun.Resume(folder.Combine("resumed"));

        // Then both reach the same weights, bit for bit, and the same log without duplicate steps
        Assert.True(resumed.Completed);
        for (int m = 0; m < 2; m++)
        {
            Assert.True(straight.Trainer.Members[m].Sae.Weights.SequenceEqual(resumed.Trainer.Members[m].Sae.Weights), $"SAE {m} weights differ");
            Assert.True(straight.Trainer.Members[m].Sae.Bias.SequenceEqual(resumed.Trainer.Members[m].Sae.Bias), $"SAE {m} bias differs");
        }
        var straightLog = MetricLog.ReadSteps(folder.Combine("straight", TrainingRun.MetricsFileName)).ToList();
        var resumedLog = MetricLog.ReadSteps(folder.Combine("resumed", TrainingRun.MetricsFileName)).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), resumedLog.Select(m => m.Step));
        Assert.Equal(straightLog.Select(m => m.Losses[1]), resumedLog.Select(m => m.Losses[1]));
    }

    [Fact]
    public void FinalSaes_ReloadFromTheFieldsFormat_AndReconstructIdentically()
    {
        using var folder = new TemporaryDirectory();
        using var run = TrainingRun.Start(SmallRun(), folder.Path);
        using var loaded = SaeFiles.Load(TrainingCheckpoint.SaeFolder(folder.Combine("final"), 1));

        var original = run.Trainer.Members[1].Sae;
        Assert.Equal(original.Config, loaded.Config);
        Assert.True(original.Weights.SequenceEqual(loaded.Weights));
        Assert.True(original.Decoder.SequenceEqual(loaded.Decoder));
    }

    [Fact]
    public void Training_ReducesReconstructionLoss()
    {
        using var folder = new TemporaryDirectory();
        using var run = TrainingRun.Start(SmallRun() with { Training = SmallRun().Training with { SampleCount = 60 * 64 } }, folder.Path);
        var log = MetricLog.ReadSteps(folder.Combine(TrainingRun.MetricsFileName)).ToList();
        Assert.True(log[^1].Losses[0] < 0.6 * log[0].Losses[0], $"loss {log[0].Losses[0]} -> {log[^1].Losses[0]}");
        Assert.All(log, m => Assert.Equal(4.0, m.L0[0]));
    }

    [Fact]
    public void Start_RefusesAFolderThatHoldsARun()
    {
        using var folder = new TemporaryDirectory();
        using (TrainingRun.Start(SmallRun() with { Training = SmallRun().Training with { SampleCount = 64 } }, folder.Path))
        {
        }
        var error = Assert.Throws<ArgumentException>(() => TrainingRun.Start(SmallRun(), folder.Path));
        Assert.Contains("already holds a run", error.Message);
    }

    [Fact]
    public void StartOrResume_ContinuesARunMadeWithTheSameSettings()
    {
        // Given a run stopped half way (checkpoint at step 4 of 8)
        using var folder = new TemporaryDirectory();
        var specification = SmallRun(new MfrConfig(Beta: 0.5)) with { Training = SmallRun().Training with { SampleCount = 8 * 64 } };
        using var cancellation = new CancellationTokenSource();
        var stopAtStep4 = new Progress4(cancellation);
        using (TrainingRun.Start(specification, folder.Path, stopAtStep4, cancellation.Token))
        {
        }

        // When
        using var resumed = TrainingRun.StartOrResume(specification, folder.Path);

        // Then
        Assert.True(resumed.Completed);
        Assert.Equal(8, resumed.Trainer.Step);
    }

    [Fact]
    public void StartOrResume_RefusesARunMadeWithOtherSettings_NamingThem()
    {
        // Given a finished run with 64 samples and beta 0.5
        using var folder = new TemporaryDirectory();
        var saved = SmallRun(new MfrConfig(Beta: 0.5)) with { Training = SmallRun().Training with { SampleCount = 64 } };
        using (TrainingRun.Start(saved, folder.Path))
        {
        }

        // When the same folder is asked for with more samples and another beta
        var requested = saved with { Training = saved.Training with { SampleCount = 128 }, Regularization = new MfrConfig(Beta: 1) };
        var error = Assert.Throws<ArgumentException>(() => TrainingRun.StartOrResume(requested, folder.Path));

        // Then the message names both settings with their values, and the old run is untouched
        Assert.Contains("training.sampleCount: saved 64, now 128", error.Message);
        Assert.Contains("regularization.beta: saved 0.5, now 1", error.Message);
        Assert.Equal(saved.Training.SampleCount, TrainingRun.ReadSpecification(folder.Path).Training.SampleCount);
    }

    /// <summary>Cancels the run once step 4 is reported (a checkpoint step of <see cref="SmallRun"/>).</summary>
    private sealed class Progress4(CancellationTokenSource cancellation) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= 4) cancellation.Cancel();
        }
    }
}

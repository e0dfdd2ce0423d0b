using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

/// <summary>Issue 13, class 4: a run whose loss or weights stop being finite stops at that step and saves nothing broken.</summary>
public sealed class TrainingDivergenceTests
{
    private static RunSpecification Exploding(MfrMode mode) => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 8, FeatureCount: 48, ActiveFeatures: 3, Seed: 1)),
        [new SaeConfig(8, 16, 2), new SaeConfig(8, 16, 2)],
        new TrainingConfig(SampleCount: 100 * 64, BatchSize: 64, LearningRate: 1e6f, CheckpointEverySteps: 1),
        new MfrConfig(mode, WarmupSteps: 0));

    [Theory]
    [InlineData(MfrMode.Baseline)]
    [InlineData(MfrMode.Mfr)]
    public void HugeLearningRate_StopsAtTheDivergingStep_KeepsTheLastGoodCheckpoint_WritesNoFinalSaes(MfrMode mode)
    {
        using var folder = new TemporaryDirectory();
        string run = folder.Combine("run");

        // Given a learning rate of 1e6, checkpointing every step
        // When the run trains
        var diverged = Assert.Throws<TrainingDivergedException>(() => TrainingRun.Start(Exploding(mode), run));

        // Then it stops with one line naming the step and the SAE (not a NaN cost matrix in the MFR assignment)
        Assert.StartsWith($"training diverged at step {diverged.Step} (SAE {diverged.SaeIndex}: ", diverged.Message);
        Assert.DoesNotContain('\n', diverged.Message);
        Assert.InRange(diverged.Step, 2, 99);
        // And no final SAEs exist, the log ends at the last good step, and the latest checkpoint (that step) is finite
        Assert.False(Directory.Exists(Path.Combine(run, "final")));
        var log = MetricLog.ReadSteps(Path.Combine(run, TrainingRun.MetricsFileName)).ToList();
        Assert.Equal(diverged.Step - 1, log.Count);
        Assert.All(log, line => Assert.All(line.Losses, loss => Assert.True(double.IsFinite(loss))));
        string checkpoint = TrainingCheckpoint.Locate(run).Folder!;
        Assert.EndsWith($"step-{diverged.Step - 1:D8}", checkpoint);
        Assert.Contains(checkpoint, diverged.Message);
        for (int m = 0; m < 2; m++)
        {
            using var sae = SaeFiles.Load(TrainingCheckpoint.SaeFolder(checkpoint, m));
            Assert.True(sae.Weights.ToArray().All(float.IsFinite), $"SAE {m} of the kept checkpoint is not finite");
        }
    }

    [Fact]
    public void NonFiniteLoss_IsReportedAtItsStep_BeforeTheUpdate()
    {
        // Given a source whose second batch is not finite (as a broken custom source would give)
        using var source = new SecondBatchNaN(6);
        using var trainer = new Trainer(new TrainingConfig(SampleCount: 10 * 16, BatchSize: 16), [new SaeConfig(6, 8, 2)], source);
        trainer.TrainStep();
        float[] before = trainer.Members[0].Sae.Weights.ToArray();

        // When the second step runs
        var diverged = Assert.Throws<TrainingDivergedException>(() => trainer.TrainStep());

        // Then it names step 2, SAE 0 and the loss, and the weights were not updated with the NaN gradient
        Assert.Equal("training diverged at step 2 (SAE 0: reconstruction loss is NaN)", diverged.Message);
        Assert.Equal(1, trainer.Step);
        Assert.Equal(before, trainer.Members[0].Sae.Weights.ToArray());
    }

    private sealed class SecondBatchNaN(int dimension) : IVectorSource
    {
        public int Dimension => dimension;

        public long? VectorCount => null;

        public string Description => "test source";

        public void ReadBatch(long batchIndex, int batchSize, Span<float> destination)
        {
            var rng = new Mfr.Numerics.Rng((ulong)batchIndex + 1);
            rng.FillGaussian(destination);
            if (batchIndex == 1) destination[3] = float.NaN;
        }

        public void Dispose()
        {
        }
    }
}

using System.Text.Json;
using Mfr.Data;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

/// <summary>Issue 14 leftovers: AuxK in the metrics log (its loss per step) and in the memory estimate.</summary>
public sealed class AuxKBookkeepingTests
{
    private static RunSpecification Run(double auxK, long deadWindowSamples) => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 12, FeatureCount: 24, GroupCount: 4, ActiveFeatures: 3, Seed: 1)),
        [new SaeConfig(12, 48, 2), new SaeConfig(12, 48, 3)],
        new TrainingConfig(SampleCount: 32 * 8, BatchSize: 32, Seed: 2, CheckpointEverySteps: 0, DeadLatentWindowSamples: deadWindowSamples, AuxKCoefficient: auxK));

    [Fact]
    public void StepLines_CarryTheAuxKLossPerSae_WhenItIsOn_AndNoFieldWhenOff()
    {
        // Given runs without AuxK, with AuxK and latents dead after 2 steps, and with AuxK but a window no latent outlives
        using var folder = new TemporaryDirectory();
        using (TrainingRun.Start(Run(0, 64), folder.Combine("off"))) { }
        using (TrainingRun.Start(Run(1.0 / 32, 64), folder.Combine("on"))) { }
        using (TrainingRun.Start(Run(1.0 / 32, 1_000_000), folder.Combine("never"))) { }

        var off = MetricLog.ReadSteps(folder.Combine("off", TrainingRun.MetricsFileName)).ToList();
        var on = MetricLog.ReadSteps(folder.Combine("on", TrainingRun.MetricsFileName)).ToList();
        var never = MetricLog.ReadSteps(folder.Combine("never", TrainingRun.MetricsFileName)).ToList();

        // Then without AuxK the lines have no such field; with it every line has one loss per SAE, 0 until a latent is dead
        // (the first two steps), positive once latents are dead, and 0 throughout when none ever is
        Assert.All(off, line => Assert.Null(line.AuxKLosses));
        Assert.DoesNotContain("auxK", File.ReadAllText(folder.Combine("off", TrainingRun.MetricsFileName)), StringComparison.OrdinalIgnoreCase);
        Assert.All(on, line => Assert.Equal(2, line.AuxKLosses!.Length));
        Assert.Equal([0.0, 0.0], on[0].AuxKLosses!);
        Assert.Contains(on, line => line.AuxKLosses!.All(loss => loss > 0));
        Assert.All(on, line => Assert.All(line.AuxKLosses!, loss => Assert.True(loss >= 0 && double.IsFinite(loss))));
        Assert.All(never, line => Assert.Equal([0.0, 0.0], line.AuxKLosses!));
    }

    [Fact]
    public void LoggedAuxKLoss_IsWhatTheLossAddedToTheStep()
    {
        // Given a trainer with AuxK and a 2-step window, and the same SAE's AuxK loss recomputed from the step's own state
        using var source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 12, FeatureCount: 24, GroupCount: 4, ActiveFeatures: 3, Seed: 1));
        var training = new TrainingConfig(SampleCount: 32 * 8, BatchSize: 32, Seed: 2, DeadLatentWindowSamples: 64, AuxKCoefficient: 1.0 / 32);
        using var trainer = new Trainer(training, [new SaeConfig(12, 48, 2)], source);
        for (int i = 0; i < 4; i++) trainer.TrainStep();
        var lastFired = trainer.LastFiredStep[0].ToArray();
        var member = trainer.Members[0];
        using var copy = new TopKSae(member.Sae.Config);
        copy.CopyFrom(member.Sae);

        // When step 5 runs
        var metrics = trainer.TrainStep();

        // Then its logged loss equals a fresh AuxK loss on batch 4 with the weights and firing history before the step
        using var workspace = new SaeWorkspace(copy.Config, 32);
        var batch = new float[32 * 12];
        source.ReadBatch(4, 32, batch);
        SaeComputation.Forward(copy, batch, 32, workspace);
        SaeComputation.Backward(copy, batch, workspace);
        using var auxK = new AuxKLoss(copy.Config, 32, 1.0 / 32);
        double expected = auxK.AddGradient(copy, batch, workspace, lastFired, 5, 2);
        Assert.True(expected > 0, "no dead latents at step 5");
        Assert.Equal(expected, metrics.AuxKLosses![0]);
    }

    [Fact]
    public void AStepLineWithTheField_ReadsInAReaderThatPredatesIt()
    {
        // Given a step line with AuxK losses
        var line = new StepMetrics(3, 96, [0.5], [2], [1], [0.1], 0, null, [], 1.0, [0.25]);
        string json = JsonSerializer.Serialize(line, MetricLog.JsonOptions);

        // When a reader with the older fields only reads it, and the current reader reads it
        var old = JsonSerializer.Deserialize<OldStepLine>(json, MetricLog.JsonOptions)!;
        var current = JsonSerializer.Deserialize<StepMetrics>(json, MetricLog.JsonOptions)!;

        // Then the old reader skips the new field, and the current one round-trips it
        Assert.Equal((3L, 0.5), (old.Step, old.Losses[0]));
        Assert.Equal([0.25], current.AuxKLosses!);
    }

    private sealed record OldStepLine(long Step, long Samples, double[] Losses, double[] L0, int[] DeadLatents, double[] ReinitScores, double Penalty, double? Beta, double[] PairMmcs, double ElapsedSeconds);

    [Fact]
    public void MemoryEstimate_CountsAuxKsBuffers_WhenItIsOn()
    {
        // Given B 10, d 8, two SAEs of h 16 (k_aux at most d / 2 = 4); by hand from AuxKLoss's allocations (bytes), per SAE:
        // dead pre-activations 4*10*16 = 640; indices, values, activations, their gradient 4*4*10*4 = 640;
        // residual, estimate, gradient 4*3*10*8 = 960; decoder-path gradient 4*16*8 = 512; bias-path gradient 4*16 = 64; dead list 4*16 = 64.
        long perSae = 640 + 640 + 960 + 512 + 64 + 64;
        SaeConfig[] saes = [new SaeConfig(8, 16, 2), new SaeConfig(8, 16, 2)];

        long without = TrainingMemory.EstimateTrainerBytes(10, saes, 8, null);
        long with = TrainingMemory.EstimateTrainerBytes(10, saes, 8, null, auxKCoefficient: 1.0 / 32);
        var specification = Run(1.0 / 32, 64) with { Saes = saes, Training = new TrainingConfig(SampleCount: 100, BatchSize: 10, AuxKCoefficient: 1.0 / 32) };
        var specificationOff = specification with { Training = specification.Training with { AuxKCoefficient = 0 } };

        // Then AuxK adds exactly its buffers, through the trainer's estimate and the run's
        Assert.Equal(2 * perSae, with - without);
        Assert.Equal(2 * perSae, TrainingMemory.EstimateBytes(specification, 8) - TrainingMemory.EstimateBytes(specificationOff, 8));
    }
}

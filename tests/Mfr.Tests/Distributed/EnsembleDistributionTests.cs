using Mfr.Distributed;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Tests.Distributed;

/// <summary>
/// The distributed trainer on an <see cref="InMemoryJob"/> (ranks as threads of this process) against one trainer of the
/// whole ensemble: every step's figures, every re-initialisation and, after rank 0 gathers the state, every SAE's
/// parameters, AdamW moments and dead-latent clocks are equal bit for bit.
/// </summary>
public sealed class EnsembleDistributionTests
{
    private static readonly SaeConfig[] Saes = [new(12, 16, 2), new(12, 16, 3), new(12, 16, 2)];
    private const int Steps = 8;

    private static TrainingConfig Training(double auxK) =>
        new(SampleCount: 32 * Steps, BatchSize: 32, Seed: 2, CheckpointEverySteps: 0, DeadLatentWindowSamples: 64, AuxKCoefficient: auxK);

    private static SyntheticDataSource Source() => new(new SyntheticDataConfig(InputDim: 12, FeatureCount: 24, GroupCount: 4, ActiveFeatures: 3, Seed: 1));

    // A threshold low enough that SAEs re-initialise in the first steps, an assignment refreshed every 3 steps.
    private static MfrConfig Mfr(MfrMode mode) => new(mode, AssignmentRefreshSteps: 3, Reinitialization: new ReinitializationConfig(Threshold: 0.4, WindowSteps: 3));

    private static Trainer Build(TrainingConfig training, MfrConfig mfr, SyntheticDataSource source, EnsembleDistribution? distribution) =>
        new(training, Saes, source, MfrRegularizers.CreatePenalty(mfr, Saes), mfr.UsesReinitialization ? mfr.ReinitializationSettings : null, distribution);

    /// <summary>What a run leaves: its step lines (less wall time), re-initialisations and final state of every SAE.</summary>
    private sealed record Outcome(string[] Steps, ReinitializationEvent[] Reinitializations, float[][] State, long[][] Counters);

    private static Outcome Snapshot(Trainer trainer, List<StepMetrics> steps, List<ReinitializationEvent> reinitializations) => new(
        [.. steps.Select(s => System.Text.Json.JsonSerializer.Serialize(s with { ElapsedSeconds = 0 }, MetricLog.JsonOptions))],
        [.. reinitializations],
        [.. trainer.Members.Select(m => (float[])[.. m.Sae.Weights, .. m.Sae.Bias, .. m.Sae.DecoderBias, .. m.Sae.Decoder, .. m.Optimizer.State.SelectMany(s => s.Buffer.Span.ToArray())])],
        [.. trainer.Members.Select(m => (long[])[m.Optimizer.StepCount, m.ReinitializationCount, .. trainer.LastFiredStep[m.Index]])]);

    private static Outcome OneProcess(TrainingConfig training, MfrConfig mfr)
    {
        using var source = Source();
        using var trainer = Build(training, mfr, source, null);
        var steps = new List<StepMetrics>();
        var reinitializations = new List<ReinitializationEvent>();
        trainer.Reinitialized += reinitializations.Add;
        for (int i = 0; i < Steps; i++) steps.Add(trainer.TrainStep());
        return Snapshot(trainer, steps, reinitializations);
    }

    private static Outcome Ranks(int ranks, TrainingConfig training, MfrConfig mfr)
    {
        Outcome? outcome = null;
        new InMemoryJob(ranks).Run(world =>
        {
            using var source = Source();
            var distribution = new EnsembleDistribution(world, Saes, mfr.ReinitializationSettings.MaxAttemptsPerStep, sharesDecoders: mfr.CouplesSaes);
            using var trainer = Build(training, mfr, source, distribution);
            distribution.ShareState(trainer);
            if (world.Rank != 0)
            {
                DistributedWorker.Follow(distribution, trainer);
                return;
            }
            var steps = new List<StepMetrics>();
            var reinitializations = new List<ReinitializationEvent>();
            trainer.Reinitialized += reinitializations.Add;
            for (int i = 0; i < Steps; i++) steps.Add(trainer.TrainStep());
            distribution.GatherToRoot(trainer, includeOptimizer: true);
            outcome = Snapshot(trainer, steps, reinitializations);
            distribution.SendControl(TrainingControl.Stop);
        });
        return outcome!;
    }

    [Theory]
    [InlineData(2, MfrMode.Mfr, 0)]
    [InlineData(3, MfrMode.Mfr, 1 / 32.0)]
    [InlineData(2, MfrMode.MeanMax, 1 / 32.0)]
    [InlineData(2, MfrMode.Baseline, 1 / 32.0)]
    [InlineData(4, MfrMode.Reinit, 0)]
    public void Ranks_TrainTheEnsembleBitIdenticallyToOneProcess(int ranks, MfrMode mode, double auxK)
    {
        // Given three SAEs (with AuxK on dead latents, 64-sample window, in some cases) split among the ranks
        var training = Training(auxK);
        var mfr = Mfr(mode);

        // When they train 8 steps in one process and on the ranks
        var expected = OneProcess(training, mfr);
        var actual = Ranks(ranks, training, mfr);

        // Then rank 0 logged the same steps and re-initialisations and holds the same final state of every SAE
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.Reinitializations, actual.Reinitializations);
        for (int m = 0; m < Saes.Length; m++)
        {
            Assert.True(expected.State[m].AsSpan().SequenceEqual(actual.State[m]), $"SAE {m}'s parameters or moments differ");
            Assert.Equal(expected.Counters[m], actual.Counters[m]);
        }
        if (mode is MfrMode.Mfr or MfrMode.Reinit) Assert.NotEmpty(expected.Reinitializations);
    }

    [Fact]
    public void ANonFiniteParameterOnRank1_StopsEveryRankAtThatStep_WithTheSameMessage()
    {
        // Given an MFR ensemble on two ranks, rank 1 training SAE 2, whose (unused) b_dec[1] turns NaN before step 3
        var mfr = Mfr(MfrMode.Mfr);
        var failures = new TrainingDivergedException?[2];

        // When the ranks train
        new InMemoryJob(2).Run(world =>
        {
            using var source = Source();
            var distribution = new EnsembleDistribution(world, Saes, mfr.ReinitializationSettings.MaxAttemptsPerStep, sharesDecoders: true);
            using var trainer = Build(Training(0), mfr, source, distribution);
            distribution.ShareState(trainer);
            try
            {
                if (world.Rank == 0)
                {
                    for (int i = 0; i < Steps; i++) trainer.TrainStep();
                    return;
                }
                var poisoned = new EnsembleDistributionPoison(trainer, step: 3);
                poisoned.Follow(distribution);
            }
            catch (TrainingDivergedException diverged)
            {
                failures[world.Rank] = diverged;
            }
        });

        // Then both ranks stopped at step 3 on SAE 2 with the same message, though only rank 1 holds that SAE's parameters
        Assert.All(failures, failure => Assert.NotNull(failure));
        Assert.Equal(3, failures[0]!.Step);
        Assert.Equal(2, failures[0]!.SaeIndex);
        Assert.Contains("b_dec[1] is NaN after the update", failures[0]!.Message);
        Assert.Equal(failures[0]!.Message, failures[1]!.Message);
    }

    /// <summary>Rank 1's loop of <see cref="DistributedWorker.Follow"/>, with SAE 2's b_dec[1] set to NaN before step <c>step</c>.</summary>
    private sealed class EnsembleDistributionPoison(Trainer trainer, long step)
    {
        public void Follow(EnsembleDistribution distribution)
        {
            while (distribution.ReceiveControl() == TrainingControl.Step)
            {
                if (trainer.Step + 1 == step) trainer.Members[2].Sae.DecoderBias[1] = float.NaN;
                trainer.TrainStep();
            }
        }
    }
}

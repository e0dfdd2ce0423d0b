using Mfr.Checkpoints;
using Mfr.Distributed;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Distributed;

/// <summary>
/// Data-parallel training (<c>MFR_MPI_MODE=data</c>) on an <see cref="InMemoryJob"/>: the ranks split each batch and combine
/// the slices' sums in rank order, so every rank ends with the same bits, a second run repeats them exactly, and the SAEs
/// stay within float rounding of one process's (which sums the batch in another order).
/// </summary>
public sealed class DataParallelismTests
{
    private static readonly SaeConfig[] Saes = [new(12, 16, 2), new(12, 16, 3)];
    private const int Steps = 8;
    private static readonly TrainingConfig Training = new(SampleCount: 32 * Steps, BatchSize: 32, Seed: 2, CheckpointEverySteps: 0, DeadLatentWindowSamples: 64);

    private static SyntheticDataSource Source() => new(new SyntheticDataConfig(InputDim: 12, FeatureCount: 24, GroupCount: 4, ActiveFeatures: 3, Seed: 1));

    private static MfrConfig Mfr(MfrMode mode) => new(mode, AssignmentRefreshSteps: 3);

    private static Trainer Build(MfrConfig mfr, SyntheticDataSource source, EnsembleDistribution? distribution) =>
        new(Training, Saes, source, MfrRegularizers.CreatePenalty(mfr, Saes), null, distribution);

    /// <summary>Every SAE's W, b, b_dec and AdamW moments, one array per SAE, and the steps' losses.</summary>
    private sealed record Outcome(float[][] State, double[][] Losses);

    private static Outcome Snapshot(Trainer trainer, List<StepMetrics> steps) => new(
        [.. trainer.Members.Select(m => (float[])[.. m.Sae.Weights, .. m.Sae.Bias, .. m.Sae.DecoderBias, .. m.Optimizer.State.SelectMany(s => s.Buffer.Span.ToArray())])],
        [.. steps.Select(s => s.Losses.ToArray())]);

    private static Outcome OneProcess(MfrConfig mfr)
    {
        using var source = Source();
        using var trainer = Build(mfr, source, null);
        var steps = Enumerable.Range(0, Steps).Select(_ => trainer.TrainStep()).ToList();
        return Snapshot(trainer, steps);
    }

    /// <summary>Every rank's outcome, in rank order.</summary>
    private static Outcome[] Ranks(int ranks, MfrConfig mfr)
    {
        var outcomes = new Outcome[ranks];
        new InMemoryJob(ranks).Run(world =>
        {
            using var source = Source();
            var distribution = new EnsembleDistribution(world, Saes, 0, sharesDecoders: mfr.CouplesSaes, new DataParallelism(world, Training.BatchSize));
            using var trainer = Build(mfr, source, distribution);
            distribution.ShareState(trainer);
            if (world.Rank != 0)
            {
                // The other ranks keep their own step lines: the losses are combined on every rank.
                var followed = new List<StepMetrics>();
                for (int i = 0; i < Steps; i++)
                {
                    Assert.Equal(TrainingControl.Step, distribution.ReceiveControl());
                    followed.Add(trainer.TrainStep());
                }
                Assert.Equal(TrainingControl.Stop, distribution.ReceiveControl());
                outcomes[world.Rank] = Snapshot(trainer, followed);
                return;
            }
            var steps = Enumerable.Range(0, Steps).Select(_ => trainer.TrainStep()).ToList();
            distribution.SendControl(TrainingControl.Stop);
            outcomes[0] = Snapshot(trainer, steps);
        });
        return outcomes;
    }

    [Theory]
    [InlineData(2, MfrMode.Penalty)]
    [InlineData(4, MfrMode.MeanMax)]
    [InlineData(2, MfrMode.Baseline)]
    public void SplitBatch_EveryRankEndsWithTheSameBits_AndASecondRunRepeatsThem(int ranks, MfrMode mode)
    {
        // Given an ensemble trained data-parallel on `ranks` ranks, twice
        var first = Ranks(ranks, Mfr(mode));
        var second = Ranks(ranks, Mfr(mode));

        // Then every rank of both runs holds rank 0's parameters, moments and losses of the first run, bit for bit
        foreach (var outcome in first.Concat(second))
        {
            for (int m = 0; m < Saes.Length; m++) Assert.Equal(first[0].State[m], outcome.State[m]);
            Assert.Equal(first[0].Losses, outcome.Losses);
        }
    }

    [Theory]
    [InlineData(2, MfrMode.Penalty)]
    [InlineData(4, MfrMode.MeanMax)]
    [InlineData(2, MfrMode.Baseline)]
    public void SplitBatch_StaysWithinFloatRoundingOfOneProcess(int ranks, MfrMode mode)
    {
        // Given an ensemble trained in one process and data-parallel on `ranks` ranks
        var single = OneProcess(Mfr(mode));
        var split = Ranks(ranks, Mfr(mode))[0];

        // Then after 8 steps every parameter and moment is within 1e-5 of one process's (relative to the largest entry of its
        // SAE), and every step's loss within 1e-5 relative: the same arithmetic but for the order of the batch sums
        for (int m = 0; m < Saes.Length; m++)
        {
            float scale = single.State[m].Max(Math.Abs);
            double worst = single.State[m].Zip(split.State[m], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-5 * scale, $"SAE {m}: largest difference {worst:G3} against entries up to {scale:G3}");
        }
        for (int step = 0; step < Steps; step++)
            for (int m = 0; m < Saes.Length; m++)
                Assert.True(Math.Abs(single.Losses[step][m] - split.Losses[step][m]) <= 1e-5 * single.Losses[step][m], $"step {step + 1}, SAE {m}: {single.Losses[step][m]} against {split.Losses[step][m]}");
    }

    [Fact]
    public void SplitBatch_DiffersFromOneProcessInTheLastBits()
    {
        // Given the same pair in one process and on two ranks
        var single = OneProcess(Mfr(MfrMode.Penalty));
        var split = Ranks(2, Mfr(MfrMode.Penalty))[0];

        // Then the states are not bit-identical: the tolerance above is needed, and the comparison is not of a run with itself
        Assert.NotEqual(single.State[0], split.State[0]);
    }

    [Theory]
    [InlineData(MfrMode.Mfr, 0, "re-initialisation")]
    [InlineData(MfrMode.Penalty, 1 / 32.0, "AuxK")]
    public void UnsupportedRun_IsRefusedNamingTheMode(MfrMode mode, double auxK, string named)
    {
        // Given a run data-parallel training does not support
        var specification = new RunSpecification(new Mfr.Data.DataSpecification("synthetic"), Saes, Training with { AuxKCoefficient = auxK }, new MfrConfig(mode));

        // When it is checked
        var exception = Assert.Throws<ArgumentException>(() => DataParallelism.Check(specification));

        // Then the message names the mode and what is unsupported
        Assert.Contains("MFR_MPI_MODE=data", exception.Message);
        Assert.Contains(named, exception.Message);
    }

    [Fact]
    public void BatchNotDividingAmongRanks_IsRefusedNamingTheFlag()
    {
        new InMemoryJob(3).Run(world =>
        {
            // Given batches of 32 rows on 3 ranks
            // When the data-parallel split is made
            var exception = Assert.Throws<ArgumentException>(() => new DataParallelism(world, 32));

            // Then the message names the flag and the ranks
            Assert.Contains("--batch-size divisible by the 3 ranks, got 32", exception.Message);
        });
    }

    [Fact]
    public void CheckpointAtStep4_ResumedOnTwoRanks_EndsAsTheUninterruptedSplitRun()
    {
        // Given a penalty pair trained data-parallel on two ranks for 8 steps, and the same run checkpointed by rank 0 at step 4
        var mfr = Mfr(MfrMode.Penalty);
        var uninterrupted = Ranks(2, mfr)[0];
        using var folder = new TemporaryDirectory();
        string? checkpoint = null;
        new InMemoryJob(2).Run(world =>
        {
            using var source = Source();
            var distribution = new EnsembleDistribution(world, Saes, 0, sharesDecoders: true, new DataParallelism(world, Training.BatchSize));
            using var trainer = Build(mfr, source, distribution);
            distribution.ShareState(trainer);
            if (world.Rank != 0)
            {
                DistributedWorker.Follow(distribution, trainer);
                return;
            }
            for (int i = 0; i < 4; i++) trainer.TrainStep();
            distribution.GatherToRoot(trainer, includeOptimizer: true);
            checkpoint = TrainingCheckpoint.Save(trainer, folder.Path, new Dictionary<string, string>());
            distribution.SendControl(TrainingControl.Stop);
        });

        // When a new job of two ranks loads it on rank 0, shares it and trains the last 4 steps
        float[][]? resumed = null;
        new InMemoryJob(2).Run(world =>
        {
            using var source = Source();
            var distribution = new EnsembleDistribution(world, Saes, 0, sharesDecoders: true, new DataParallelism(world, Training.BatchSize));
            using var trainer = Build(mfr, source, distribution);
            if (world.Rank == 0) TrainingCheckpoint.Load(trainer, checkpoint!);
            distribution.ShareState(trainer);
            if (world.Rank != 0)
            {
                DistributedWorker.Follow(distribution, trainer);
                return;
            }
            while (trainer.Step < Steps) trainer.TrainStep();
            resumed = Snapshot(trainer, []).State;
            distribution.SendControl(TrainingControl.Stop);
        });

        // Then every SAE's parameters and moments are the uninterrupted run's, bit for bit
        for (int m = 0; m < Saes.Length; m++) Assert.Equal(uninterrupted.State[m], resumed![m]);
    }
}

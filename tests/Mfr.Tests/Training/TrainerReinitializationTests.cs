using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Tests.Training;

public sealed class TrainerReinitializationTests
{
    private static Trainer Build(ReinitializationConfig? reinit, out SyntheticDataSource source)
    {
        source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 12, FeatureCount: 24, GroupCount: 4, ActiveFeatures: 3, Seed: 1));
        return new Trainer(new TrainingConfig(SampleCount: 32 * 10, BatchSize: 32, Seed: 2), [new SaeConfig(12, 16, 2), new SaeConfig(12, 16, 2)], source, reinitialization: reinit);
    }

    [Fact]
    public void ScoreAboveThreshold_InsideWindow_ReinitializesAndLogs_OutsideWindowNever()
    {
        // Given a threshold every batch exceeds (16 latents, k 2, 32 samples: the score is never 0), checked during 2 steps
        var events = new List<ReinitializationEvent>();
        using var trainer = Build(new ReinitializationConfig(Threshold: 1e-9, WindowSteps: 2, MaxAttemptsPerStep: 3), out var source);
        using var _ = source;
        trainer.Reinitialized += events.Add;
        var firstSeeds = trainer.Members.Select(m => m.Sae.Weights.ToArray()).ToArray();

        // When 5 steps run
        for (int i = 0; i < 5; i++) trainer.TrainStep();

        // Then each SAE was re-drawn MaxAttemptsPerStep times in each checked step, and never after
        Assert.Equal(2 * 2 * 3, events.Count);
        Assert.All(events, e => Assert.InRange(e.Step, 1, 2));
        Assert.All(trainer.Members, m => Assert.Equal(6, m.ReinitializationCount));
        Assert.All(events, e => Assert.True(e.Score > 1e-9));
        Assert.False(trainer.Members[0].Sae.Weights.SequenceEqual(firstSeeds[0]));
    }

    [Fact]
    public void WithoutReinitialization_TheScoreIsStillReported()
    {
        using var trainer = Build(null, out var source);
        using var _ = source;
        var metrics = trainer.TrainStep();
        Assert.All(metrics.ReinitScores, score => Assert.True(score >= 0 && double.IsFinite(score)));
        Assert.All(trainer.Members, m => Assert.Equal(0, m.ReinitializationCount));
    }

    [Fact]
    public void ActivityDeviation_IsZeroForEvenFiring_AndMatchesClosedFormForConcentratedFiring()
    {
        // h = 8, k = 2, batch 4: even firing (each latent in 1 of 4 samples) is exactly the target rate 2/8
        Assert.Equal(0.0, ActivityDeviation.Score([1, 1, 1, 1, 1, 1, 1, 1], 4, 2), 12);
        // all activity on 2 latents: r = 1 there (deviation 3), 0 elsewhere (deviation 1)
        double expected = (2 * 27.0 + 6 * 1.0) / 8;
        Assert.Equal(expected, ActivityDeviation.Score([4, 4, 0, 0, 0, 0, 0, 0], 4, 2), 12);
    }
}

using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Sae;
using Mfr.Synthetic;

namespace Mfr.Tests.Evaluation;

public sealed class GroundTruthRecoveryEvaluatorTests
{
    private static readonly SyntheticDataConfig Data = new(InputDim: 16, FeatureCount: 24, GroupCount: 3, ActiveFeatures: 3, Seed: 5);

    [Fact]
    public void DecoderEqualToTheTrueFeatures_HasMmcsOne_AndRecoversEveryFeature()
    {
        // Given an SAE whose encoder rows are the true features (so its decoder directions are too)
        using var source = new SyntheticDataSource(Data);
        using var sae = new TopKSae(new SaeConfig(16, 24, 3));
        source.TrueFeatures.CopyTo(sae.Weights);
        sae.RefreshDecoder();
        var evaluator = GroundTruthRecoveryEvaluator.For(DataSpecification.ForSynthetic(Data))!;

        // When
        RecoveryMetrics metrics = evaluator.Measure(7, [sae]);

        // Then
        Assert.Equal(7, metrics.Step);
        Assert.Equal(1.0, metrics.Mmcs.Single(), 5);
        Assert.Equal([1.0, 1.0, 1.0], metrics.Recovered.Single());
    }

    [Fact]
    public void RandomDecoder_RecoversFewFeaturesAt09_AndLessThanAt07()
    {
        using var sae = new TopKSae(new SaeConfig(16, 24, 3));
        sae.Initialize(11);
        var evaluator = GroundTruthRecoveryEvaluator.For(DataSpecification.ForSynthetic(Data))!;

        RecoveryMetrics metrics = evaluator.Measure(0, [sae]);

        Assert.InRange(metrics.Mmcs[0], 0.05, 0.9);
        Assert.True(metrics.RecoveredAt(0, 0.9) <= metrics.RecoveredAt(0, 0.7));
        Assert.True(double.IsNaN(metrics.RecoveredAt(0, 0.5)), "an unmeasured threshold is NaN");
    }

    [Fact]
    public void FileData_HasNoEvaluator()
    {
        Assert.Null(GroundTruthRecoveryEvaluator.For(new DataSpecification("file", Path: "/nowhere.npy")));
    }

    [Fact]
    public void SaeOfAnotherInputWidth_Throws()
    {
        using var sae = new TopKSae(new SaeConfig(8, 24, 3));
        sae.Initialize(1);

        Assert.Throws<ArgumentException>(() => GroundTruthRecoveryEvaluator.For(DataSpecification.ForSynthetic(Data))!.Measure(0, [sae]));
    }
}

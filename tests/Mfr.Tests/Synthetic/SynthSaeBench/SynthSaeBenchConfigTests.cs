using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Tests.Synthetic.SynthSaeBench;

public sealed class SynthSaeBenchConfigTests
{
    [Fact]
    public void Standard16k_IsTheConfigurationOnTheSaeLensDocsPage()
    {
        var config = SynthSaeBenchConfig.Preset("synthsaebench-16k");

        // Then (SAELens docs, "SynthSAEBench"): 16,384 features, d 768, Zipf (0.5, 0.4, 5e-4), 128 roots, branching 4,
        // depth 3, all children exclusive, rank 25 scale 0.1, 100 steps at lr 3e-4, magnitudes 5 -> 4, std |N(0.5, 0.5)|
        Assert.Equal((16_384, 768), (config.FeatureCount, config.InputDim));
        Assert.Equal((0.5, 0.4, 5e-4), (config.ZipfExponent, config.MaxFiringProbability, config.MinFiringProbability));
        Assert.Equal((128, 4, 3, 1.0), (config.HierarchyRootCount, config.HierarchyBranching, config.HierarchyDepth, config.MutuallyExclusivePortion));
        Assert.Equal((25, 0.1), (config.CorrelationRank, config.CorrelationScale));
        Assert.Equal((100, 3e-4), (config.OrthogonalizationSteps, config.OrthogonalizationLearningRate));
        Assert.Equal((5.0, 4.0, 0.5, 0.5), (config.MeanMagnitudeFirst, config.MeanMagnitudeLast, config.MagnitudeStdMean, config.MagnitudeStdStd));
        // and the forest holds 128 * (1 + 4 + 16 + 64) = 10,880 features
        Assert.Equal(10_880, config.HierarchyFeatureCount);
    }

    [Fact]
    public void Scaled_KeepsTheShapeAndCoversTheSameShareWithTheHierarchy()
    {
        var scaled = SynthSaeBenchConfig.Preset("SynthSAEBench-Scaled");

        Assert.Equal((4_096, 256, 32), (scaled.FeatureCount, scaled.InputDim, scaled.HierarchyRootCount));
        // 32 * 85 = 2,720 of 4,096 (66%), as 10,880 of 16,384 at 16k
        Assert.Equal(2_720, scaled.HierarchyFeatureCount);
        scaled.Validate();
    }

    [Theory]
    [InlineData("FeatureCount", "feature count")]
    [InlineData("Probabilities", "p_min")]
    [InlineData("Rank", "correlation rank")]
    [InlineData("Portion", "mutually exclusive portion")]
    public void Validate_NamesTheBadSetting(string which, string expectedFragment)
    {
        var config = which switch
        {
            "FeatureCount" => SynthSaeBenchConfig.Scaled with { FeatureCount = 1 },
            "Probabilities" => SynthSaeBenchConfig.Scaled with { MinFiringProbability = 0.5 },
            "Rank" => SynthSaeBenchConfig.Scaled with { CorrelationRank = -1 },
            _ => SynthSaeBenchConfig.Scaled with { MutuallyExclusivePortion = 1.5 },
        };

        var error = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains(expectedFragment, error.Message);
    }

    [Fact]
    public void Preset_RejectsAnUnknownName()
    {
        var error = Assert.Throws<ArgumentException>(() => SynthSaeBenchConfig.Preset("synthsaebench-1m"));
        Assert.Contains("synthsaebench-16k", error.Message);
    }
}

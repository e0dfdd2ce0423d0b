using Mfr.Consistency;
using Mfr.Evaluation;
using Mfr.Sae;
using Mfr.Synthetic;

namespace Mfr.Tests.Consistency;

public sealed class BaggedReconstructionTests
{
    private static readonly SyntheticDataConfig Data = new(InputDim: 8, FeatureCount: 12, GroupCount: 2, ActiveFeatures: 2, Seed: 5);

    [Fact]
    public void AnEnsembleOfOneSae_OrOfCopies_ReconstructsAsThatSae()
    {
        // Given an SAE and an identical copy
        using var sae = new TopKSae(new SaeConfig(8, 10, 3));
        sae.Initialize(11);
        using var copy = new TopKSae(sae.Config);
        copy.CopyFrom(sae);
        using var source = new SyntheticDataSource(Data);

        // When the bagged ensembles of one SAE and of the two copies are measured, and the SAE alone by the evaluator
        var alone = SaeEvaluator.Evaluate([sae], source, 0, 2, 40)[0];
        var (oneMse, oneFvu) = BaggedReconstruction.Measure([sae], source, 0, 2, 40);
        var (twoMse, twoFvu) = BaggedReconstruction.Measure([sae, copy], source, 0, 2, 40);

        // Then all three agree: the mean of equal reconstructions is that reconstruction
        Assert.Equal(alone.Mse, oneMse, 1e-6);
        Assert.Equal(alone.Fvu, oneFvu, 1e-6);
        Assert.Equal(alone.Mse, twoMse, 1e-6);
        Assert.Equal(alone.Fvu, twoFvu, 1e-6);
    }

    [Fact]
    public void TheMeanOfTwoReconstructions_IsNoWorseThanTheirAverageError()
    {
        // Given two differently initialised SAEs
        using var a = new TopKSae(new SaeConfig(8, 10, 3));
        using var b = new TopKSae(new SaeConfig(8, 10, 3));
        a.Initialize(1);
        b.Initialize(2);
        using var source = new SyntheticDataSource(Data);

        // When the ensemble and each SAE are measured
        var singles = SaeEvaluator.Evaluate([a, b], source, 0, 2, 40);
        var (mse, _) = BaggedReconstruction.Measure([a, b], source, 0, 2, 40);

        // Then by convexity of the squared error (Gadgil et al. 2025's argument for bagging) the mean reconstruction's
        // MSE is at most the mean of the two MSEs, and strictly below it when the reconstructions differ
        Assert.True(mse < (singles[0].Mse + singles[1].Mse) / 2, $"{mse} vs {singles[0].Mse}, {singles[1].Mse}");
    }
}

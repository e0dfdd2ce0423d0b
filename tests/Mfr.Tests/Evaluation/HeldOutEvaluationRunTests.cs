using Mfr.Cli;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Experiments;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Evaluation;

public sealed class HeldOutEvaluationRunTests
{
    private static TopKSae Initialized(SaeConfig config, ulong seed)
    {
        var sae = new TopKSae(config);
        sae.Initialize(seed);
        return sae;
    }

    [Fact]
    public void Run_OnSyntheticData_KeepsEachLatentsBestCosines_ToTheOtherSaeAndToTheTruth()
    {
        // Given two SAEs of d 8 on a synthetic generator with 24 features
        var data = new SyntheticDataConfig(InputDim: 8, FeatureCount: 24, GroupCount: 3, ActiveFeatures: 3, Seed: 4);
        using var first = Initialized(new SaeConfig(8, 12, 2), 1);
        using var second = Initialized(new SaeConfig(8, 10, 2), 2);
        using var folder = new TemporaryDirectory();

        // When
        var evaluation = HeldOutEvaluation.Run([first, second], DataSpecification.ForSynthetic(data), 50, 2, folder.Path);

        // Then: the same cosines the feature-consistency analysis computes, saved with the metrics
        using var source = new SyntheticDataSource(data);
        var expectedOthers = FeatureConsistency.BestCosinesWithin([first, second]);
        var latents = HeldOutEvaluation.Load(folder.Path)!.Latents!;
        Assert.Equal(expectedOthers[0], latents[0].ToOthers!);
        Assert.Equal(expectedOthers[1], latents[1].ToOthers!);
        Assert.Equal(FeatureConsistency.BestCosinesToTruth(second, source.TrueFeatures, 24), latents[1].ToTruth!);
        Assert.Equal((2, 50), (evaluation.BatchCount, evaluation.BatchSize));
    }

    [Fact]
    public void Run_OnFileData_HasNoTruth_AndALoneSaeHasNoPartner()
    {
        using var folder = new TemporaryDirectory();
        var vectors = new float[40 * 6];
        new Mfr.Numerics.Rng(3).FillGaussian(vectors);
        Mfr.IO.NpyWriter.Write(folder.Combine("x.npy"), [40, 6], vectors);
        using var sae = Initialized(new SaeConfig(6, 8, 2), 1);

        var evaluation = HeldOutEvaluation.Run([sae], new DataSpecification("file", Path: folder.Combine("x.npy")), 100, 5, runDirectory: null);

        var only = Assert.Single(evaluation.Latents!);
        Assert.Null(only.ToOthers);
        Assert.Null(only.ToTruth);
        Assert.Equal(40, evaluation.Saes[0].Samples);
        Assert.False(File.Exists(HeldOutEvaluation.PathFor(folder.Path)));
    }

    [Fact]
    public void AReport_ReadsTheSavedEvaluation_WithoutReloadingTheSaes()
    {
        // Given a finished run whose SAE files are then removed
        using var folder = new TemporaryDirectory();
        int code = CliApplication.Run(["train", "--samples", "128", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3",
            "--latents", "16", "--k", "2", "--out", folder.Combine("run")], new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        var saved = HeldOutEvaluation.Load(folder.Combine("run"))!;
        foreach (var sae in Directory.GetDirectories(folder.Combine("run", "final"), "sae-*")) Directory.Delete(sae, recursive: true);

        // When the report's figure-5 data is read
        var latents = Mfr.Reports.SaeLatents.Measure(folder.Combine("run"));

        // Then it comes from evaluation.json alone (before, a run without its SAEs had no figure 5)
        Assert.NotNull(latents);
        Assert.Equal(2, latents.Count);
        Assert.Equal(saved.Saes[1].FiringFrequencies, latents[1].FiringFrequencies);
        Assert.Equal(saved.Latents![1].ToTruth, latents[1].ToTruth);
        Assert.Equal(16, latents[0].ToOthers!.Length);
    }
}

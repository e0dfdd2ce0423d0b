using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Interop;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Interop;

/// <summary>Issue 15 item 5: Mfr's metrics on untied SAEs from other libraries.</summary>
public sealed class UntiedSaeEvaluatorTests
{
    [Theory]
    [InlineData(SaeActivation.TopK)]
    [InlineData(SaeActivation.TopKRelu)]
    public void TiedSae_ScoresAsMfrsOwnEvaluator(SaeActivation activation)
    {
        // Given an Mfr SAE with a decoder bias and synthetic data of its width
        using var sae = InteropSaes.Tied(activation, decoderBias: true);
        using var first = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 6, FeatureCount: 20, GroupCount: 4, ActiveFeatures: 3, Seed: 2));
        using var second = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 6, FeatureCount: 20, GroupCount: 4, ActiveFeatures: 3, Seed: 2));

        // When Mfr's evaluator runs it, and the untied evaluator runs its untied form
        var expected = SaeEvaluator.Evaluate([sae], first, 0, 3, 50)[0];
        var actual = UntiedSaeEvaluator.Evaluate(UntiedTopKSae.FromTopKSae(sae), second, 0, 3, 50);

        // Then the metrics agree
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.Mse, actual.Mse, 1e-6 * Math.Max(1, expected.Mse));
        Assert.Equal(expected.Fvu, actual.Fvu, 1e-5);
        Assert.Equal(expected.L0, actual.L0);
        Assert.Equal(expected.DeadLatents, actual.DeadLatents);
        Assert.Equal(expected.FiringFrequencies, actual.FiringFrequencies);
    }

    [PythonNumpyFact]
    public void UntiedSparsifySae_ScoresTheMseOfSparsifysOwnReconstruction()
    {
        // Given an untied sparsify SAE written by the fixture, and 40 vectors in a file
        using var temp = new TemporaryDirectory();
        string folder = temp.File("sparsify");
        PythonNumpy.Run("sparsify_sae.py", "write", folder, "9", "6", "12", "4");
        float[] inputs = InteropSaes.Inputs(40, 6, seed: 3);
        NpyWriter.Write(temp.File("inputs.npy"), [40, 6], inputs);
        PythonNumpy.Run("sparsify_sae.py", "reconstruct", folder, temp.File("inputs.npy"), temp.File("outputs.npy"));
        float[] python;
        using (var file = NpyFile.Open(temp.File("outputs.npy"))) python = file.ReadAll();
        double expectedMse = inputs.Zip(python, (x, y) => (double)(x - y) * (x - y)).Sum() / inputs.Length;

        // When Mfr evaluates the folder on those vectors
        using var source = new ArrayFileSource(new ArrayFileSourceOptions { Path = temp.File("inputs.npy"), Order = ArrayFileOrder.Sequential });
        var metrics = UntiedSaeEvaluator.Evaluate(SaeImport.Read(folder), source, 0, 1, 40);

        // Then its MSE is that of sparsify's reconstruction
        Assert.Equal(expectedMse, metrics.Mse, 1e-5 * expectedMse);
    }
}

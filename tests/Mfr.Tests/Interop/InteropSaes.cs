using Mfr.Sae;

namespace Mfr.Tests.Interop;

/// <summary>Small SAEs and inputs for the interop tests, and Mfr's own reconstruction of them.</summary>
internal static class InteropSaes
{
    /// <summary>An Mfr SAE with orthogonal W and non-zero biases (so b_enc and b_dec placement both matter).</summary>
    public static TopKSae Tied(SaeActivation activation, bool decoderBias, int d = 6, int h = 10, int k = 3, int seed = 7)
    {
        var sae = new TopKSae(new SaeConfig(d, h, k, activation, decoderBias));
        sae.Initialize((ulong)seed);
        var random = new Random(seed);
        for (int j = 0; j < h; j++) sae.Bias[j] = (float)(random.NextDouble() - 0.5) * 0.4f;
        if (decoderBias)
            for (int t = 0; t < d; t++) sae.DecoderBias[t] = (float)(random.NextDouble() - 0.5);
        // Rows of different lengths: W_enc is unnormalised while W_dec has unit rows.
        for (int j = 0; j < h; j++)
            for (int t = 0; t < d; t++) sae.Weights[j * d + t] *= 0.5f + j * 0.2f;
        sae.RefreshDecoder();
        return sae;
    }

    public static float[] Inputs(int count, int d, int seed = 11)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Mfr's training forward pass (SaeComputation.Forward), the reconstruction every other one must match.</summary>
    public static float[] MfrReconstruction(TopKSae sae, float[] inputs)
    {
        int d = sae.Config.InputDim, count = inputs.Length / d;
        using var workspace = new SaeWorkspace(sae.Config, count);
        SaeComputation.Forward(sae, inputs, count, workspace);
        return workspace.Reconstruction[..(count * d)].ToArray();
    }

    public static double MaxAbsDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        return worst;
    }
}

using Mfr.Matching;
using Mfr.Sae;

namespace Mfr.Experiments;

/// <summary>
/// The paper's feature-consistency analysis (figure 3): for each latent of an SAE, its best cosine
/// to any latent of the other SAE(s) and its best cosine to any true feature. Latents that other
/// SAEs also learn tend to be real features; the Pearson correlation of the two measures how much
/// (paper: 0.625 for baselines, 0.668 with re-initialisation).
/// </summary>
public static class FeatureConsistency
{
    /// <summary>Per latent of <paramref name="sae"/>: (best cosine to <paramref name="others"/>, best cosine to the true features).</summary>
    /// <param name="sae">The SAE analysed.</param>
    /// <param name="others">The other SAEs (at least one).</param>
    /// <param name="trueFeatures">True features as rows, <c>[featureCount, d]</c>.</param>
    /// <param name="featureCount">n.</param>
    public static (float[] ToOthers, float[] ToTruth) BestCosines(TopKSae sae, IReadOnlyList<TopKSae> others, ReadOnlySpan<float> trueFeatures, int featureCount)
    {
        int h = sae.Config.LatentCount, d = sae.Config.InputDim;
        var toOthers = new float[h];
        Array.Fill(toOthers, float.NegativeInfinity);
        var rowMaxima = new float[h];
        foreach (var other in others)
        {
            var cosines = CosineSimilarity.Compute(sae.Decoder, other.Decoder, h, other.Config.LatentCount, d);
            CosineSimilarity.MaxPerRow(cosines, h, other.Config.LatentCount, rowMaxima);
            for (int j = 0; j < h; j++) toOthers[j] = Math.Max(toOthers[j], rowMaxima[j]);
        }
        var toTruth = new float[h];
        var truthCosines = CosineSimilarity.Compute(sae.Decoder, trueFeatures, h, featureCount, d);
        CosineSimilarity.MaxPerRow(truthCosines, h, featureCount, toTruth);
        return (toOthers, toTruth);
    }

    /// <summary>Pearson r of the two best-cosine series of <see cref="BestCosines"/>.</summary>
    public static double BestCosinePearson(TopKSae sae, IReadOnlyList<TopKSae> others, ReadOnlySpan<float> trueFeatures, int featureCount)
    {
        var (toOthers, toTruth) = BestCosines(sae, others, trueFeatures, featureCount);
        return Metrics.Pearson.Correlation(toOthers, toTruth);
    }
}

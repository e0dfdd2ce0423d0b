using Mfr.Matching;
using Mfr.Sae;

namespace Mfr.Experiments;

/// <summary>
/// The paper's feature-consistency analysis (figures 3 and 5): for each latent of an SAE, its best cosine
/// to any latent of the other SAE(s) and its best cosine to any true feature. Latents that other
/// SAEs also learn tend to be real features; the Pearson correlation of the two measures how much
/// (paper: 0.625 for baselines, 0.668 with re-initialisation). "Best" is the row maximum of the cosine
/// matrix, without the one-to-one constraint of MMCS.
/// </summary>
public static class FeatureConsistency
{
    /// <summary>
    /// MMCS between two coupled SAEs from which they count as one dictionary (SPEC 2's failure to watch): with
    /// beta = auto the synthetic pairs pass 0.98 by step 75 and end at 0.9999, while independent SAEs at the
    /// paper's budget agree at about 0.94.
    /// </summary>
    public const double SameDictionaryMmcs = 0.99;

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
        return (toOthers, BestCosinesToTruth(sae, trueFeatures, featureCount));
    }

    /// <summary>
    /// For every SAE of an ensemble, per latent, its best cosine to any latent of the ensemble's other SAEs
    /// (paper figure 5a). Each pair's cosine matrix is computed once and read by rows for one SAE and by
    /// columns for the other.
    /// </summary>
    /// <param name="saes">At least two SAEs of the same input width (they may differ in h and k).</param>
    /// <returns>Per SAE, <c>[h_m]</c>.</returns>
    public static float[][] BestCosinesWithin(IReadOnlyList<TopKSae> saes)
    {
        if (saes.Count < 2) throw new ArgumentException($"Best cosines within an ensemble need at least two SAEs, got {saes.Count}.");
        int d = saes[0].Config.InputDim;
        var best = saes.Select(sae => Enumerable.Repeat(float.NegativeInfinity, sae.Config.LatentCount).ToArray()).ToArray();
        for (int a = 0; a < saes.Count; a++)
        {
            for (int b = a + 1; b < saes.Count; b++)
            {
                int rows = saes[a].Config.LatentCount, columns = saes[b].Config.LatentCount;
                if (saes[b].Config.InputDim != d) throw new ArgumentException($"SAE {b} has input width {saes[b].Config.InputDim}; SAE 0 has {d}.");
                var cosines = CosineSimilarity.Compute(saes[a].Decoder, saes[b].Decoder, rows, columns, d);
                for (int i = 0; i < rows; i++)
                {
                    var row = cosines.AsSpan(i * columns, columns);
                    float rowBest = best[a][i];
                    for (int j = 0; j < columns; j++)
                    {
                        float cosine = row[j];
                        rowBest = Math.Max(rowBest, cosine);
                        best[b][j] = Math.Max(best[b][j], cosine);
                    }
                    best[a][i] = rowBest;
                }
            }
        }
        return best;
    }

    /// <summary>Per latent of <paramref name="sae"/>, its best cosine to any true feature.</summary>
    /// <param name="sae">The SAE.</param>
    /// <param name="trueFeatures">True features as rows, <c>[featureCount, d]</c>.</param>
    /// <param name="featureCount">n.</param>
    /// <returns><c>[h]</c>.</returns>
    public static float[] BestCosinesToTruth(TopKSae sae, ReadOnlySpan<float> trueFeatures, int featureCount)
    {
        int h = sae.Config.LatentCount;
        var toTruth = new float[h];
        var truthCosines = CosineSimilarity.Compute(sae.Decoder, trueFeatures, h, featureCount, sae.Config.InputDim);
        CosineSimilarity.MaxPerRow(truthCosines, h, featureCount, toTruth);
        return toTruth;
    }

    /// <summary>Pearson r of the two best-cosine series of <see cref="BestCosines"/>.</summary>
    public static double BestCosinePearson(TopKSae sae, IReadOnlyList<TopKSae> others, ReadOnlySpan<float> trueFeatures, int featureCount)
    {
        var (toOthers, toTruth) = BestCosines(sae, others, trueFeatures, featureCount);
        return Metrics.Pearson.Correlation(toOthers, toTruth);
    }
}

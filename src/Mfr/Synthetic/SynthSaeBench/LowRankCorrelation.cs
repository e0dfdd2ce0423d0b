using Mfr.Numerics;

namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>
/// The Gaussian copula's correlation <c>C = F F^T + diag(D)</c>, F [N, rank], ported from SAELens
/// <c>sae_lens/synthetic/correlation.py</c> generate_random_low_rank_correlation_matrix (decoderesearch/SAELens
/// 06860aa): F ~ N(0, scale^2) entrywise, D_i = 1 - |F_i|^2 so C has a unit diagonal; if some D_i &lt;= 0,
/// F is scaled so the largest |F_i|^2 is 0.99. Sampling (activation_generator.py
/// _generate_low_rank_correlated_features): <c>z = F eps + sqrt(D) eta</c>, eps ~ N(0, I_rank), eta ~ N(0, I_N).
/// </summary>
public sealed class LowRankCorrelation
{
    /// <summary>Draws the factor from <paramref name="rng"/>.</summary>
    /// <param name="featureCount">N.</param>
    /// <param name="rank">Columns of F (0: independent features, C = I).</param>
    /// <param name="scale">Standard deviation of F's entries.</param>
    /// <param name="rng">Source of F.</param>
    internal LowRankCorrelation(int featureCount, int rank, double scale, ref Rng rng)
    {
        FeatureCount = featureCount;
        Rank = rank;
        var factor = new double[(long)featureCount * rank];
        for (int i = 0; i < factor.Length; i++) factor[i] = rng.NextGaussian() * scale;
        var squaredNorms = new double[featureCount];
        for (int i = 0; i < featureCount; i++)
            for (int r = 0; r < rank; r++) squaredNorms[i] += factor[(long)i * rank + r] * factor[(long)i * rank + r];
        double largest = featureCount == 0 ? 0 : squaredNorms.Max();
        if (largest >= 1)
        {
            double shrink = Math.Sqrt(0.99 / largest);
            for (int i = 0; i < factor.Length; i++) factor[i] *= shrink;
            for (int i = 0; i < featureCount; i++) squaredNorms[i] *= 0.99 / largest;
        }
        Factor = factor.Select(value => (float)value).ToArray();
        FactorTransposed = new float[factor.Length];
        for (int i = 0; i < featureCount; i++)
            for (int r = 0; r < rank; r++) FactorTransposed[(long)r * featureCount + i] = Factor[(long)i * rank + r];
        Diagonal = squaredNorms.Select(norm => 1 - norm).ToArray();
        FactorSkewed = new float[(long)rank * SkewedStride];
        for (int r = 0; r < rank; r++) Array.Copy(FactorTransposed, (long)r * featureCount, FactorSkewed, (long)r * SkewedStride, featureCount);
        FactorBlocked = new float[(long)(featureCount / BlockWidth) * BlockWidth * rank];
        for (int block = 0; block < featureCount / BlockWidth; block++)
            for (int r = 0; r < rank; r++)
                for (int lane = 0; lane < BlockWidth; lane++)
                    FactorBlocked[((long)block * rank + r) * BlockWidth + lane] = Factor[(long)(block * BlockWidth + lane) * rank + r];
    }

    /// <summary>Floats between rows of <see cref="FactorSkewed"/>: N plus one cache line.</summary>
    internal int SkewedStride => FeatureCount + BlockWidth;

    /// <summary>Features per block of <see cref="FactorBlocked"/>: one Vector512 of floats.</summary>
    internal const int BlockWidth = 16;

    /// <summary>N.</summary>
    public int FeatureCount { get; }

    /// <summary>Columns of F.</summary>
    public int Rank { get; }

    /// <summary>F, <c>[N, rank]</c>.</summary>
    public float[] Factor { get; }

    /// <summary>F^T, <c>[rank, N]</c> (the sampler adds eps_r times row r).</summary>
    internal float[] FactorTransposed { get; }

    /// <summary>
    /// F^T in blocks of 16 features, <c>[N / 16, rank, 16]</c> (features past the last whole block left out): a block's rank
    /// rows are contiguous, where F^T's rows lie N floats apart and, at N a power of two, share one set of the L1 cache.
    /// </summary>
    internal float[] FactorBlocked { get; }

    /// <summary>
    /// F^T with rows <see cref="SkewedStride"/> floats apart, <c>[rank, N + 16]</c>: the same numbers, for reads of arbitrary
    /// 16-feature columns (sibling groups), whose rank rows would otherwise share one L1 set when N is a power of two.
    /// </summary>
    internal float[] FactorSkewed { get; }

    /// <summary>D, <c>[N]</c>: 1 - |F_i|^2, positive.</summary>
    public double[] Diagonal { get; }

    /// <summary>Entry (i, j) of C = F F^T + diag(D).</summary>
    public double Correlation(int i, int j)
    {
        double sum = i == j ? Diagonal[i] : 0;
        for (int r = 0; r < Rank; r++) sum += (double)Factor[(long)i * Rank + r] * Factor[(long)j * Rank + r];
        return sum;
    }
}

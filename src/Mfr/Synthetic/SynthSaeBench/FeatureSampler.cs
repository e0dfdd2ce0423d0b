using System.Numerics;
using Mfr.Numerics;

namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>
/// One SynthSAEBench sample's sparse feature activations as a pure function of (seed, sample index); see
/// <see cref="SynthSaeBenchSource"/> for the process and its source. Legend: N features, rank of the copula factor.
/// Draw order from the sample's stream: rank Gaussians eps, N uniforms (two 24-bit ones per 64-bit draw), then, in
/// ascending feature order, one Gaussian per firing feature whose parent fires (its magnitude) and one integer per
/// mutually exclusive conflict (after its sibling group).
/// </summary>
/// <remarks>
/// The per-feature pass (latent, tail probability, comparison) runs on <see cref="Vector{T}"/> lanes with a scalar
/// tail of the same float formula; the lane width is fixed per machine, so a sample never depends on the batch or
/// thread it is drawn in. Scratch comes from the calling thread's <see cref="ScratchBuffers.PartLocal"/> slot.
/// </remarks>
internal unsafe struct FeatureSampler
{
    public float* Factor, FactorTransposed, Thresholds, InverseSpread, MeanMagnitudes, MagnitudeStds;
    public int* FirstChild, ChildCount;
    public byte* Exclusive;
    public int FeatureCount, Rank, RootCount, HierarchyFeatureCount;
    public ulong Seed;

    /// <summary>Draws sample <paramref name="sampleIndex"/>: firing features ascending and their positive magnitudes.</summary>
    /// <param name="sampleIndex">Global position in the stream.</param>
    /// <param name="features">Output, room for N.</param>
    /// <param name="magnitudes">Output, room for N.</param>
    /// <returns>The number of firing features.</returns>
    /// <remarks>
    /// The hierarchy is walked top-down (SAELens _apply_hierarchy_sparse processes levels in the same order): a
    /// child is only looked at when its parent fires, since it would be gated off otherwise. Roots and free
    /// features are decided in one vector pass; children of firing parents one by one (in double).
    /// </remarks>
    public readonly int Draw(long sampleIndex, int* features, float* magnitudes)
    {
        int n = FeatureCount;
        // Scratch: eps [rank], firing flags of roots and free features [N], uniforms [N].
        float* scratch = ScratchBuffers.Get(ScratchBuffers.PartLocal, 2L * n + Rank);
        float* epsilon = scratch, flags = scratch + Rank, uniforms = flags + n;
        var rng = Rng.ForStream(Seed, (ulong)sampleIndex);
        DrawShared(ref rng, epsilon, uniforms);
        FireRange(0, RootCount, epsilon, uniforms, flags);
        FireRange(HierarchyFeatureCount, n, epsilon, uniforms, flags);
        int count = 0;
        for (int root = 0; root < RootCount; root++)
            if (flags[root] != 0) Keep(ref rng, root, features, magnitudes, ref count);
        // Level by level: the children of each firing feature of the previous level, in ascending order.
        int levelStart = 0, levelEnd = count;
        while (levelStart < levelEnd)
        {
            for (int k = levelStart; k < levelEnd; k++)
            {
                int parent = features[k], first = FirstChild[parent], groupStart = count;
                for (int child = first; child < first + ChildCount[parent]; child++)
                    if (ChildFires(child, epsilon, uniforms)) Keep(ref rng, child, features, magnitudes, ref count);
                if (Exclusive[parent] != 0 && count - groupStart > 1)
                {
                    // Mutual exclusion: one of the firing siblings, uniformly, stays.
                    int winner = groupStart + rng.NextInt(count - groupStart);
                    features[groupStart] = features[winner];
                    magnitudes[groupStart] = magnitudes[winner];
                    count = groupStart + 1;
                }
            }
            levelStart = levelEnd;
            levelEnd = count;
        }
        for (int feature = HierarchyFeatureCount; feature < n; feature++)
            if (flags[feature] != 0) Keep(ref rng, feature, features, magnitudes, ref count);
        return count;
    }

    /// <summary>Draws eps [rank] then the N uniforms (two 24-bit ones per 64-bit draw).</summary>
    public readonly void DrawShared(ref Rng rng, float* epsilon, float* uniforms)
    {
        int n = FeatureCount;
        for (int r = 0; r < Rank; r++) epsilon[r] = rng.NextGaussian();
        const float Scale24 = 1.0f / (1 << 24);
        int i = 0;
        for (; i + 1 < n; i += 2)
        {
            ulong bits = rng.NextUInt64();
            uniforms[i] = (int)(bits >> 40) * Scale24;
            uniforms[i + 1] = (int)((bits >> 8) & 0xFFFFFF) * Scale24;
        }
        if (i < n) uniforms[i] = (int)(rng.NextUInt64() >> 40) * Scale24;
    }

    /// <summary><c>target[0..count) += scale * source[0..count)</c>, <see cref="Vector{T}"/> body and scalar tail.</summary>
    public static void AddScaled(float* source, float scale, float* target, int count)
    {
        var scaleVector = new Vector<float>(scale);
        int i = 0;
        for (; i <= count - Vector<float>.Count; i += Vector<float>.Count)
            Vector.Store(Vector.Load(target + i) + scaleVector * Vector.Load(source + i), target + i);
        for (; i < count; i++) target[i] += scale * source[i];
    }

    /// <summary>
    /// flags[i] = 1 when u_i &lt; Q((t_i - (F eps)_i) / sqrt(D_i)), else 0, for i in [from, to): the correlated part
    /// accumulated in the flags buffer one factor column at a time, then the tail probability lane by lane (the
    /// last partial vector through padded lanes, so every feature uses the same float formula).
    /// </summary>
    private readonly void FireRange(int from, int to, float* epsilon, float* uniforms, float* flags)
    {
        int length = to - from;
        if (length <= 0) return;
        float* correlated = flags + from;
        new Span<float>(correlated, length).Clear();
        for (int r = 0; r < Rank; r++) AddScaled(FactorTransposed + (long)r * FeatureCount + from, epsilon[r], correlated, length);
        int i = from;
        for (; i <= to - Vector<float>.Count; i += Vector<float>.Count)
        {
            var standardized = (Vector.Load(Thresholds + i) - Vector.Load(flags + i)) * Vector.Load(InverseSpread + i);
            var fires = Vector.LessThan(Vector.Load(uniforms + i), StandardNormal.UpperTail(standardized));
            Vector.Store(Vector.ConditionalSelect(fires, Vector<float>.One, Vector<float>.Zero), flags + i);
        }
        if (i < to)
        {
            Span<float> padded = stackalloc float[Vector<float>.Count];
            for (int lane = 0; lane < padded.Length; lane++)
                padded[lane] = i + lane < to ? (Thresholds[i + lane] - flags[i + lane]) * InverseSpread[i + lane] : 0f;
            var tails = StandardNormal.UpperTail(new Vector<float>(padded));
            for (int lane = 0; i + lane < to; lane++) flags[i + lane] = uniforms[i + lane] < tails[lane] ? 1f : 0f;
        }
    }

    /// <summary>The same test for one feature, in double: u &lt; Q((t - F_child . eps) / sqrt(D)).</summary>
    private readonly bool ChildFires(int child, float* epsilon, float* uniforms)
    {
        double correlated = 0;
        float* row = Factor + (long)child * Rank;
        for (int r = 0; r < Rank; r++) correlated += (double)row[r] * epsilon[r];
        return uniforms[child] < StandardNormal.UpperTail((Thresholds[child] - correlated) * InverseSpread[child]);
    }

    /// <summary>Draws the magnitude relu(mean + std g) of a firing feature and appends it unless it is 0 (then it does not fire).</summary>
    private readonly void Keep(ref Rng rng, int feature, int* features, float* magnitudes, ref int count)
    {
        float value = MeanMagnitudes[feature] + MagnitudeStds[feature] * rng.NextGaussian();
        if (value <= 0) return;
        features[count] = feature;
        magnitudes[count++] = value;
    }
}

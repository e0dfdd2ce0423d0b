using System.Numerics;
using Mfr.Numerics;

namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>
/// One SynthSAEBench sample's sparse feature activations as a pure function of (seed, sample index); see
/// <see cref="SynthSaeBenchSource"/> for the process and its source. Legend: N features, rank of the copula factor.
/// Draw order from the sample's stream: rank Gaussians eps, one 64-bit draw whose high half keys the per-feature
/// uniforms (<see cref="Uniform"/>, counter-based, so only the features looked at cost anything), then, in the order
/// features are decided, one Gaussian per firing feature whose parent fires (its magnitude) and one integer per
/// mutually exclusive conflict (after its sibling group).
/// </summary>
/// <remarks>
/// The per-feature pass (latent, tail probability, comparison) runs on <see cref="Vector{T}"/> lanes with a scalar
/// tail of the same float formula; the lane width is fixed per machine, so a sample never depends on the batch or
/// thread it is drawn in. Scratch comes from the calling thread's <see cref="ScratchBuffers.PartLocal"/> slot.
/// </remarks>
internal unsafe struct FeatureSampler
{
    public float* FactorTransposed, Thresholds, InverseSpread, MeanMagnitudes, MagnitudeStds;
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
    /// features are decided in one vector pass; the children of a firing parent in one vector.
    /// </remarks>
    public readonly int Draw(long sampleIndex, int* features, float* magnitudes)
    {
        int n = FeatureCount;
        // Scratch: eps [rank], then the firing roots and free features [N ints], then one sibling group's firing children.
        float* scratch = ScratchBuffers.Get(ScratchBuffers.PartLocal, (long)2 * n + Rank);
        float* epsilon = scratch;
        int* candidates = (int*)(scratch + Rank);
        var rng = Rng.ForStream(Seed, (ulong)sampleIndex);
        uint key = DrawShared(ref rng, epsilon);
        int roots = FireRange(0, RootCount, epsilon, key, candidates);
        int free = FireRange(HierarchyFeatureCount, n, epsilon, key, candidates + roots);
        int count = 0;
        for (int s = 0; s < roots; s++) Keep(ref rng, candidates[s], features, magnitudes, ref count);
        // Level by level: the children of each firing feature of the previous level, in ascending order.
        int levelStart = 0, levelEnd = count;
        while (levelStart < levelEnd)
        {
            for (int k = levelStart; k < levelEnd; k++)
            {
                int parent = features[k], groupStart = count;
                if (ChildCount[parent] == 0) continue;
                int firingChildren = FireGroup(FirstChild[parent], ChildCount[parent], epsilon, key, candidates + roots + free);
                for (int c = 0; c < firingChildren; c++) Keep(ref rng, candidates[roots + free + c], features, magnitudes, ref count);
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
        for (int s = roots; s < roots + free; s++) Keep(ref rng, candidates[s], features, magnitudes, ref count);
        return count;
    }

    /// <summary>Draws eps [rank] and the 32-bit key of the sample's uniforms.</summary>
    public readonly uint DrawShared(ref Rng rng, float* epsilon)
    {
        for (int r = 0; r < Rank; r++) epsilon[r] = rng.NextGaussian();
        return (uint)(rng.NextUInt64() >> 32);
    }

    /// <summary>
    /// Feature <paramref name="feature"/>'s uniform in [0, 1) with 24 bits: a counter-based draw (the lowbias32 integer
    /// hash, Wellons' hash-prospector, of key + feature * golden ratio), so each feature's uniform is computed only when
    /// the feature is looked at, in any order. <see cref="Uniforms"/> is the same function on vector lanes.
    /// </summary>
    public static float Uniform(uint key, int feature)
    {
        uint x = key + (uint)feature * 0x9E3779B9u;
        x ^= x >> 16;
        x *= 0x21F0AAADu;
        x ^= x >> 15;
        x *= 0x735A2D97u;
        x ^= x >> 15;
        return (int)(x >> 8) * (1.0f / (1 << 24));
    }

    /// <summary><see cref="Uniform"/> for the features <c>first .. first + Count - 1</c>.</summary>
    private static Vector<float> Uniforms(uint key, int first)
    {
        var x = new Vector<uint>(key) + (new Vector<uint>((uint)first) + LaneIndices()) * new Vector<uint>(0x9E3779B9u);
        x ^= Vector.ShiftRightLogical(x, 16);
        x *= new Vector<uint>(0x21F0AAADu);
        x ^= Vector.ShiftRightLogical(x, 15);
        x *= new Vector<uint>(0x735A2D97u);
        x ^= Vector.ShiftRightLogical(x, 15);
        return Vector.ConvertToSingle(Vector.AsVectorInt32(Vector.ShiftRightLogical(x, 8))) * new Vector<float>(1.0f / (1 << 24));
    }

    private static readonly Vector<uint> LaneIndexVector = CreateLaneIndices();

    private static Vector<uint> LaneIndices() => LaneIndexVector;

    private static Vector<uint> CreateLaneIndices()
    {
        Span<uint> lanes = stackalloc uint[Vector<uint>.Count];
        for (int lane = 0; lane < lanes.Length; lane++) lanes[lane] = (uint)lane;
        return new Vector<uint>(lanes);
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
    /// Writes, ascending, the features i in [from, to) with u_i &lt; Q((t_i - (F eps)_i) / sqrt(D_i)) and returns how
    /// many. The correlated part is summed over the factor's columns in registers, four vectors at a time (four
    /// independent chains; one chain is bound by the add latency); the remaining vectors one at a time, and the last
    /// partial vector through the last full vector of the range, keeping only the lanes not yet seen. Each feature's
    /// result does not depend on which of these paths computed it (same operations in the same order).
    /// </summary>
    private readonly int FireRange(int from, int to, float* epsilon, uint key, int* firing)
    {
        int width = Vector<float>.Count, count = 0, i = from;
        if (to - from < width && to < width)
        {
            // Fewer features than one vector in the whole set: lane by lane, same float operations.
            for (int f = from; f < to; f++)
                if (Fires(f, Correlated(f, epsilon), key)) firing[count++] = f;
            return count;
        }
        for (; i <= to - 4 * width; i += 4 * width)
        {
            Vector<float> c0 = Vector<float>.Zero, c1 = c0, c2 = c0, c3 = c0;
            for (int r = 0; r < Rank; r++)
            {
                var e = new Vector<float>(epsilon[r]);
                float* row = FactorTransposed + (long)r * FeatureCount + i;
                c0 += e * Vector.Load(row);
                c1 += e * Vector.Load(row + width);
                c2 += e * Vector.Load(row + 2 * width);
                c3 += e * Vector.Load(row + 3 * width);
            }
            count = Collect(i, 0, c0, key, firing, count);
            count = Collect(i + width, 0, c1, key, firing, count);
            count = Collect(i + 2 * width, 0, c2, key, firing, count);
            count = Collect(i + 3 * width, 0, c3, key, firing, count);
        }
        for (; i < to; i += width)
        {
            int start = Math.Min(i, to - width);
            var correlated = Vector<float>.Zero;
            for (int r = 0; r < Rank; r++) correlated += new Vector<float>(epsilon[r]) * Vector.Load(FactorTransposed + (long)r * FeatureCount + start);
            count = Collect(start, i - start, correlated, key, firing, count);
        }
        return count;
    }

    /// <summary>Appends the firing features among <c>start + skip .. start + Count - 1</c> given their correlated parts.</summary>
    private readonly int Collect(int start, int skip, Vector<float> correlated, uint key, int* firing, int count)
    {
        var standardized = (Vector.Load(Thresholds + start) - correlated) * Vector.Load(InverseSpread + start);
        var fires = Vector.LessThan(Uniforms(key, start), StandardNormal.UpperTail(standardized));
        if (fires == Vector<int>.Zero) return count;
        for (int lane = skip; lane < Vector<float>.Count; lane++)
            if (fires[lane] != 0) firing[count++] = start + lane;
        return count;
    }

    /// <summary>The vector test for one feature (used only when the feature set is narrower than a vector).</summary>
    private readonly bool Fires(int feature, float correlated, uint key)
    {
        var standardized = new Vector<float>((Thresholds[feature] - correlated) * InverseSpread[feature]);
        return Uniform(key, feature) < StandardNormal.UpperTail(standardized)[0];
    }

    /// <summary>(F eps)_feature in float, summed in the order of the vector pass.</summary>
    private readonly float Correlated(int feature, float* epsilon)
    {
        float sum = 0;
        for (int r = 0; r < Rank; r++) sum += epsilon[r] * FactorTransposed[(long)r * FeatureCount + feature];
        return sum;
    }

    /// <summary>
    /// The firing features among the <paramref name="count"/> contiguous siblings from <paramref name="first"/>, by the
    /// same vector test as <see cref="FireRange"/> on the vector that starts at the group (or ends at N), lanes outside
    /// the group ignored; groups wider than a vector go through <see cref="FireRange"/>.
    /// </summary>
    private readonly int FireGroup(int first, int count, float* epsilon, uint key, int* firing)
    {
        int width = Vector<float>.Count;
        if (count > width || FeatureCount < width) return FireRange(first, first + count, epsilon, key, firing);
        int start = Math.Min(first, FeatureCount - width);
        var correlated = Vector<float>.Zero;
        for (int r = 0; r < Rank; r++) correlated += new Vector<float>(epsilon[r]) * Vector.Load(FactorTransposed + (long)r * FeatureCount + start);
        var standardized = (Vector.Load(Thresholds + start) - correlated) * Vector.Load(InverseSpread + start);
        var fires = Vector.LessThan(Uniforms(key, start), StandardNormal.UpperTail(standardized));
        int found = 0;
        if (fires == Vector<int>.Zero) return 0;
        for (int lane = first - start; lane < first - start + count; lane++)
            if (fires[lane] != 0) firing[found++] = start + lane;
        return found;
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

using System.Numerics;
using System.Runtime.Intrinsics;
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
    public float* FactorTransposed, FactorBlocked, FactorSkewed, Thresholds, InverseSpread, MeanMagnitudes, MagnitudeStds;
    public int* FirstChild, ChildCount;
    public byte* Exclusive;
    public int FeatureCount, Rank, RootCount, HierarchyFeatureCount, SkewedStride;
    public ulong Seed;

    /// <summary>How the firing test runs (every pass makes the same decisions).</summary>
    public FiringPass Pass;

    private readonly bool Screened => Pass == FiringPass.Screened;

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
        int count;
        DrawMany(sampleIndex, 1, features, magnitudes, 0, &count);
        return count;
    }

    /// <summary>Most samples <see cref="DrawMany"/> decides together.</summary>
    public const int MaxSamplesTogether = 4;

    /// <summary>
    /// Draws samples <paramref name="firstSample"/> .. + <paramref name="samples"/> - 1 (at most <see cref="MaxSamplesTogether"/>),
    /// each exactly as <see cref="Draw"/> would: sample j's features and magnitudes go to <paramref name="features"/> and
    /// <paramref name="magnitudes"/> + j * <paramref name="stride"/>, its count to <paramref name="counts"/>[j]. Screened, the free
    /// features of all the samples are decided in one pass over the copula factor (each sample has its own stream, so nothing
    /// about a sample depends on its neighbours).
    /// </summary>
    public readonly void DrawMany(long firstSample, int samples, int* features, float* magnitudes, long stride, int* counts)
    {
        if (samples < 1 || samples > MaxSamplesTogether) throw new ArgumentOutOfRangeException(nameof(samples), samples, $"Between 1 and {MaxSamplesTogether} samples at once.");
        int n = FeatureCount;
        // Scratch per sample: eps [rank], then the firing roots and free features [N ints], then the firing children of one sibling
        // group (or, screened, of a whole level, group after group: they are hierarchy features below the roots, so they fit).
        long perSample = 2L * n + Rank;
        float* scratch = ScratchBuffers.Get(ScratchBuffers.PartLocal, samples * perSample);
        var rngs = stackalloc Rng[MaxSamplesTogether];
        var keys = stackalloc uint[MaxSamplesTogether];
        var epsilons = stackalloc float*[MaxSamplesTogether];
        var freeLists = stackalloc int*[MaxSamplesTogether];
        var roots = stackalloc int[MaxSamplesTogether];
        var free = stackalloc int[MaxSamplesTogether];
        for (int j = 0; j < samples; j++)
        {
            epsilons[j] = scratch + j * perSample;
            rngs[j] = Rng.ForStream(Seed, (ulong)(firstSample + j));
        }
        // DrawShared's draws (eps, then the key) for each sample from its own stream, the samples interleaved draw by draw:
        // independent chains the core overlaps (calling DrawShared sample by sample measured slower; README, the consistency section).
        for (int r = 0; r < Rank; r++)
            for (int j = 0; j < samples; j++) epsilons[j][r] = rngs[j].NextGaussian();
        for (int j = 0; j < samples; j++)
        {
            keys[j] = (uint)(rngs[j].NextUInt64() >> 32);
            int* candidates = (int*)(epsilons[j] + Rank);
            roots[j] = FireRange(0, RootCount, epsilons[j], keys[j], candidates);
            freeLists[j] = candidates + roots[j];
        }
        if (Screened && samples > 1) ScreenedFiring.FireRangeMany(in this, HierarchyFeatureCount, n, samples, epsilons, keys, freeLists, free);
        else
            for (int j = 0; j < samples; j++) free[j] = FireRange(HierarchyFeatureCount, n, epsilons[j], keys[j], freeLists[j]);
        for (int j = 0; j < samples; j++)
            counts[j] = Finish(ref rngs[j], epsilons[j], keys[j], (int*)(epsilons[j] + Rank), roots[j], free[j], features + j * stride, magnitudes + j * stride);
    }

    /// <summary>
    /// The rest of a sample once its roots and free features are decided: the roots' magnitudes, the hierarchy level by level,
    /// then the free features' magnitudes. Returns the sample's count.
    /// </summary>
    private readonly int Finish(ref Rng rng, float* epsilon, uint key, int* candidates, int roots, int free, int* features, float* magnitudes)
    {
        int n = FeatureCount;
        int* children = candidates + roots + free;
        bool wholeLevels = Screened && n >= ScreenedFiring.Width;
        int count = 0;
        for (int s = 0; s < roots; s++) Keep(ref rng, candidates[s], features, magnitudes, ref count);
        // Level by level: the children of each firing feature of the previous level, in ascending order. Firing decisions draw
        // nothing from rng, so deciding a whole level first (screened) leaves the magnitudes' and winners' draws in the same order.
        int levelStart = 0, levelEnd = count;
        while (levelStart < levelEnd)
        {
            int levelChildren = wholeLevels ? ScreenedFiring.FireLevel(in this, features + levelStart, levelEnd - levelStart, epsilon, key, children) : 0;
            int next = 0;
            for (int k = levelStart; k < levelEnd; k++)
            {
                int parent = features[k], groupStart = count;
                if (ChildCount[parent] == 0) continue;
                if (wholeLevels)
                {
                    // This parent's firing children are the next entries inside its child range (ranges of parents are disjoint).
                    int first = FirstChild[parent], end = first + ChildCount[parent];
                    while (next < levelChildren && children[next] >= first && children[next] < end) Keep(ref rng, children[next++], features, magnitudes, ref count);
                }
                else
                {
                    int firingChildren = FireGroup(FirstChild[parent], ChildCount[parent], epsilon, key, children);
                    for (int c = 0; c < firingChildren; c++) Keep(ref rng, children[c], features, magnitudes, ref count);
                }
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

    /// <summary><c>target[0..count) += scale * source[0..count)</c>: Vector512 where accelerated, then <see cref="Vector{T}"/>, then a scalar tail, each a product then a sum.</summary>
    public static void AddScaled(float* source, float scale, float* target, int count)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // The same product and sum per lane as the Vector<T> loop below, so the result does not depend on the width.
            var wide = Vector512.Create(scale);
            for (; i <= count - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.Store(Vector512.Load(target + i) + wide * Vector512.Load(source + i), target + i);
        }
        var scaleVector = new Vector<float>(scale);
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
        => Screened ? ScreenedFiring.FireRange(in this, from, to, epsilon, key, firing) : FireRangeReference(from, to, epsilon, key, firing);

    /// <summary><see cref="FireRange"/> without the screen: every feature through the exact tail, feature by feature (<see cref="FiringPass.Scalar"/>) or on <see cref="Vector{T}"/> lanes.</summary>
    internal readonly int FireRangeReference(int from, int to, float* epsilon, uint key, int* firing)
    {
        int width = Vector<float>.Count, count = 0, i = from;
        if (Pass == FiringPass.Scalar || (to - from < width && to < width))
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
        if (Pass == FiringPass.Scalar || count > width || FeatureCount < width) return FireRangeReference(first, first + count, epsilon, key, firing);
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

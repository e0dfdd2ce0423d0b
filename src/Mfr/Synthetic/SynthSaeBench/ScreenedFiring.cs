using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>
/// The copula's firing test on 16 lanes with a screen: the same decisions as <see cref="FeatureSampler"/>'s reference pass,
/// bit for bit, at a fraction of its cost. A feature fires when u &lt; Q(s); the reference evaluates Q (an exponential, a
/// division, a polynomial) for every feature, yet almost every u lies far above Q(s). Here s and u are computed by the
/// same float operations as the reference (so they are the same numbers), and a lane is ruled out without Q when u is at
/// least <see cref="Bounds"/>[floor(8 s)], an upper bound on the float Q over every s in that bucket and above. Only a vector
/// with a lane left over evaluates Q, through the reference's own <see cref="StandardNormal.UpperTail(Vector{float})"/>.
/// </summary>
/// <remarks>
/// Why the bound holds: for s &gt;= j / 8, the float evaluation of A&amp;S 26.2.17 is within a relative 1e-5 of the formula in
/// exact arithmetic (about twenty roundings of 6e-8, and the exponential's few ulps), the formula is within 7.5e-8 of the true
/// tail Q (A&amp;S), and the true Q decreases. So Q_float(s) &lt;= (Q(j / 8) + 7.5e-8)(1 + 1e-5) &lt;= B_j, with B_j computed from the
/// double formula (itself within 7.5e-8 of Q) plus a relative margin of 1e-3 and an absolute 1e-7; <c>ScreenedFiringTests</c>
/// checks the bound against the float Q on a dense grid of every bucket. Lanes with s &lt; 0 (or NaN) are never screened.
/// </remarks>
internal static unsafe class ScreenedFiring
{
    /// <summary>Lanes per vector: features decided at once.</summary>
    internal const int Width = 16;
    private const float BucketsPerUnit = 8;

    /// <summary>B_j for s in [j / 8, (j + 1) / 8), j = 0..31; the last covers every s &gt;= 31 / 8.</summary>
    internal static readonly float[] Bounds = CreateBounds();

    private static readonly Vector512<float> LowBounds = Vector512.Create(Bounds.AsSpan(0, Width));
    private static readonly Vector512<float> HighBounds = Vector512.Create(Bounds.AsSpan(Width, Width));
    private static readonly Vector512<int> LaneNumbers = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    private static readonly Vector512<int> LaneBits = Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
    private static readonly Vector512<uint> GoldenLaneSteps = Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * Vector512.Create(0x9E3779B9u);

    private static float[] CreateBounds()
    {
        var bounds = new float[2 * Width];
        for (int j = 0; j < bounds.Length; j++)
        {
            double formula = StandardNormal.UpperTail(j / (double)BucketsPerUnit);
            bounds[j] = (float)Math.Min(2.0, (formula + 2 * 7.5e-8) * 1.001 + 1e-7);
        }
        return bounds;
    }

    /// <summary>Whether this machine runs the screened pass (AVX-512F with accelerated 512-bit vectors).</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated && (Vector<float>.Count == 8 || Vector<float>.Count == 16);

    /// <summary>
    /// The firing features among [from, to), ascending, as the reference's FireRange writes them. Falls back to the reference
    /// when the whole feature set is narrower than 16 lanes.
    /// </summary>
    public static int FireRange(in FeatureSampler sampler, int from, int to, float* epsilon, uint key, int* firing)
    {
        if (to < Width || sampler.FeatureCount < Width) return sampler.FireRangeReference(from, to, epsilon, key, firing);
        var survivors = new Survivors();
        int count = 0, i = from, rank = sampler.Rank;
        // Whole blocks of the blocked factor (each vector's rank rows contiguous) when the range starts on one, else the skewed copy.
        bool blocked = from % Width == 0;
        var sums = stackalloc Vector512<float>[4];
        for (; i <= to - 4 * Width; i += 4 * Width)
        {
            if (blocked)
            {
                long block = (long)i * rank, vector = (long)rank * Width;
                SumFourColumns(sampler.FactorBlocked, Width, rank, block, block + vector, block + 2 * vector, block + 3 * vector, epsilon, sums);
            }
            else SumFourColumns(sampler.FactorSkewed, sampler.SkewedStride, rank, i, i + Width, i + 2 * Width, i + 3 * Width, epsilon, sums);
            for (int v = 0; v < 4; v++) Screen(in sampler, i + v * Width, 0, Width, sums[v], key, ref survivors, firing, ref count);
        }
        for (; i < to; i += Width)
        {
            int start = Math.Min(i, to - Width);
            Screen(in sampler, start, i - start, Width, Correlated(in sampler, start, epsilon), key, ref survivors, firing, ref count);
        }
        survivors.Flush(firing, ref count);
        return count;
    }

    /// <summary>
    /// <see cref="FireRange"/> for 2 to 4 samples at once: sample j's firing features among [from, to) go to
    /// <paramref name="firings"/>[j], their number to <paramref name="counts"/>[j]. Each 16-feature block of the blocked factor is
    /// loaded once for all the samples (the factor is read from L2 once per group of samples rather than once per sample); each
    /// sample's sums are the reference's. Falls back to one sample at a time when [from, to) does not start on a block.
    /// </summary>
    public static void FireRangeMany(in FeatureSampler sampler, int from, int to, int samples, float** epsilons, uint* keys, int** firings, int* counts)
    {
        if (to < Width || sampler.FeatureCount < Width || from % Width != 0 || samples < 2)
        {
            for (int j = 0; j < samples; j++) counts[j] = FireRange(in sampler, from, to, epsilons[j], keys[j], firings[j]);
            return;
        }
        var survivors = stackalloc Survivors[FeatureSampler.MaxSamplesTogether];
        for (int j = 0; j < samples; j++)
        {
            survivors[j] = default;
            counts[j] = 0;
        }
        // Unused samples repeat sample 0's draws (their results are dropped).
        float* e0 = epsilons[0], e1 = epsilons[1], e2 = samples > 2 ? epsilons[2] : e0, e3 = samples > 3 ? epsilons[3] : e0;
        int rank = sampler.Rank, i = from;
        var sums = stackalloc Vector512<float>[8];
        for (; i <= to - 2 * Width; i += 2 * Width)
        {
            SumTwoBlocksFourSamples(sampler.FactorBlocked + (long)i * rank, rank, e0, e1, e2, e3, sums);
            for (int j = 0; j < samples; j++)
            {
                Screen(in sampler, i, 0, Width, sums[2 * j], keys[j], ref survivors[j], firings[j], ref counts[j]);
                Screen(in sampler, i + Width, 0, Width, sums[2 * j + 1], keys[j], ref survivors[j], firings[j], ref counts[j]);
            }
        }
        for (; i < to; i += Width)
        {
            int start = Math.Min(i, to - Width);
            for (int j = 0; j < samples; j++)
                Screen(in sampler, start, i - start, Width, Correlated(in sampler, start, epsilons[j]), keys[j], ref survivors[j], firings[j], ref counts[j]);
        }
        for (int j = 0; j < samples; j++) survivors[j].Flush(firings[j], ref counts[j]);
    }

    /// <summary>
    /// (F eps) of two 16-feature blocks (at <paramref name="row"/> and one block further) for four samples: eight independent
    /// chains, each in the reference's order (mul, then add, r ascending from zero), into sums[2 j] and sums[2 j + 1] for sample j.
    /// A method of its own so that nothing forces the chains out of registers (the caller's screening calls would).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SumTwoBlocksFourSamples(float* row, int rank, float* e0, float* e1, float* e2, float* e3, Vector512<float>* sums)
    {
        Vector512<float> a0 = Vector512<float>.Zero, a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
        float* next = row + rank * Width;
        for (int r = 0; r < rank; r++)
        {
            var f0 = Vector512.Load(row + r * Width);
            var f1 = Vector512.Load(next + r * Width);
            var e = Vector512.Create(e0[r]);
            a0 += e * f0;
            a1 += e * f1;
            e = Vector512.Create(e1[r]);
            b0 += e * f0;
            b1 += e * f1;
            e = Vector512.Create(e2[r]);
            c0 += e * f0;
            c1 += e * f1;
            e = Vector512.Create(e3[r]);
            d0 += e * f0;
            d1 += e * f1;
        }
        sums[0] = a0;
        sums[1] = a1;
        sums[2] = b0;
        sums[3] = b1;
        sums[4] = c0;
        sums[5] = c1;
        sums[6] = d0;
        sums[7] = d1;
    }

    /// <summary>
    /// The firing children of every parent in <paramref name="parents"/> (each parent with children owns the contiguous group
    /// FirstChild .. FirstChild + ChildCount - 1), group after group in the parents' order, each group ascending: what the
    /// reference's FireGroup writes parent by parent. Four groups share one pass over the factor (four independent chains,
    /// where one group alone waits on its additions' latency). Needs at least 16 features.
    /// </summary>
    /// <returns>The number of firing children written.</returns>
    public static int FireLevel(in FeatureSampler sampler, int* parents, int parentCount, float* epsilon, uint key, int* firing)
    {
        var survivors = new Survivors();
        int count = 0, pending = 0, n = sampler.FeatureCount;
        int* starts = stackalloc int[4];
        int* firstLanes = stackalloc int[4];
        int* endLanes = stackalloc int[4];
        for (int k = 0; k < parentCount; k++)
        {
            int parent = parents[k], first = sampler.FirstChild[parent], groupSize = sampler.ChildCount[parent];
            if (groupSize == 0) continue;
            if (groupSize > Width)
            {
                // A wide group: everything queued before it first, then the group through the range pass.
                FireGroups(in sampler, starts, firstLanes, endLanes, pending, epsilon, key, ref survivors, firing, ref count);
                pending = 0;
                survivors.Flush(firing, ref count);
                count += FireRange(in sampler, first, first + groupSize, epsilon, key, firing + count);
                continue;
            }
            int start = Math.Min(first, n - Width);
            starts[pending] = start;
            firstLanes[pending] = first - start;
            endLanes[pending++] = first - start + groupSize;
            if (pending < 4) continue;
            FireGroups(in sampler, starts, firstLanes, endLanes, pending, epsilon, key, ref survivors, firing, ref count);
            pending = 0;
        }
        FireGroups(in sampler, starts, firstLanes, endLanes, pending, epsilon, key, ref survivors, firing, ref count);
        survivors.Flush(firing, ref count);
        return count;
    }

    /// <summary>Screens up to four sibling groups, lanes [firstLanes[g], endLanes[g]) of the vector at starts[g], in one pass over the factor.</summary>
    private static void FireGroups(in FeatureSampler sampler, int* starts, int* firstLanes, int* endLanes, int groups, float* epsilon, uint key,
        ref Survivors survivors, int* firing, ref int count)
    {
        if (groups == 0) return;
        // Unused chains repeat group 0 (their result is dropped).
        long s0 = starts[0], s1 = groups > 1 ? starts[1] : s0, s2 = groups > 2 ? starts[2] : s0, s3 = groups > 3 ? starts[3] : s0;
        var sums = stackalloc Vector512<float>[4];
        SumFourColumns(sampler.FactorSkewed, sampler.SkewedStride, sampler.Rank, s0, s1, s2, s3, epsilon, sums);
        Vector512<float> c0 = sums[0], c1 = sums[1], c2 = sums[2], c3 = sums[3];
        Screen(in sampler, (int)s0, firstLanes[0], endLanes[0], c0, key, ref survivors, firing, ref count);
        if (groups > 1) Screen(in sampler, (int)s1, firstLanes[1], endLanes[1], c1, key, ref survivors, firing, ref count);
        if (groups > 2) Screen(in sampler, (int)s2, firstLanes[2], endLanes[2], c2, key, ref survivors, firing, ref count);
        if (groups > 3) Screen(in sampler, (int)s3, firstLanes[3], endLanes[3], c3, key, ref survivors, firing, ref count);
    }

    /// <summary>
    /// (F eps) of four 16-float columns for one sample, column c at <paramref name="factor"/> + s_c + r * <paramref name="stride"/>
    /// for r = 0..rank-1 (the blocked factor, or the skewed copy of F^T): four independent chains in the reference's order,
    /// into sums[0..3]. Call-free, so the chains stay in registers (inline, the screening calls after it made the JIT write
    /// every accumulator to the stack each iteration).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void SumFourColumns(float* factor, int stride, int rank, long s0, long s1, long s2, long s3, float* epsilon, Vector512<float>* sums)
    {
        Vector512<float> c0 = Vector512<float>.Zero, c1 = c0, c2 = c0, c3 = c0;
        float* row = factor;
        for (int r = 0; r < rank; r++, row += stride)
        {
            var e = Vector512.Create(epsilon[r]);
            c0 += e * Vector512.Load(row + s0);
            c1 += e * Vector512.Load(row + s1);
            c2 += e * Vector512.Load(row + s2);
            c3 += e * Vector512.Load(row + s3);
        }
        sums[0] = c0;
        sums[1] = c1;
        sums[2] = c2;
        sums[3] = c3;
    }

    /// <summary>(F eps) for the 16 features from <paramref name="start"/>, in the reference's order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Correlated(in FeatureSampler sampler, int start, float* epsilon)
    {
        var correlated = Vector512<float>.Zero;
        float* row = sampler.FactorSkewed + start;
        for (int r = 0; r < sampler.Rank; r++, row += sampler.SkewedStride) correlated += Vector512.Create(epsilon[r]) * Vector512.Load(row);
        return correlated;
    }

    /// <summary>
    /// Computes s and u for lanes [<paramref name="fromLane"/>, <paramref name="toLane"/>) of the vector at <paramref name="start"/>
    /// and queues the lanes the bound does not rule out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Screen(in FeatureSampler sampler, int start, int fromLane, int toLane, Vector512<float> correlated, uint key,
        ref Survivors survivors, int* firing, ref int count)
    {
        var standardized = (Vector512.Load(sampler.Thresholds + start) - correlated) * Vector512.Load(sampler.InverseSpread + start);
        var uniforms = Uniforms(key, start);
        // floor(8 s) for s >= 0 (truncation), capped at the last bucket. A huge s (or NaN) converts to int.MinValue, whose low five
        // bits, all the permute reads, pick bucket 0: still an upper bound for s >= 0, and NaN lanes are unscreened below anyway.
        var buckets = Vector512.Min(Vector512.ConvertToInt32Native(standardized * Vector512.Create(BucketsPerUnit)), Vector512.Create(2 * Width - 1));
        var bound = Avx512F.PermuteVar16x32x2(LowBounds, buckets, HighBounds);
        bound = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(standardized, Vector512<float>.Zero), bound, Vector512.Create(2f));
        ulong lanes = Vector512.LessThan(uniforms, bound).ExtractMostSignificantBits() & LaneMask(fromLane, toLane);
        if (lanes != 0) survivors.Add(lanes, start, standardized, uniforms, firing, ref count);
    }

    private static ulong LaneMask(int fromLane, int toLane) => ((1UL << toLane) - 1) & ~((1UL << fromLane) - 1);

    /// <summary>
    /// Lanes the screen could not rule out, in feature order, until 16 are queued: then the reference's Q is evaluated on
    /// them as one vector (Q is lane-wise, so a lane's value does not depend on where it sits) and the firing ones appended.
    /// </summary>
    private struct Survivors
    {
        private const int Capacity = 2 * Width;
        private fixed float standardized[Capacity];
        private fixed float uniforms[Capacity];
        private fixed int features[Capacity];
        private int queued;

        public void Add(ulong lanes, int start, Vector512<float> standardizedLanes, Vector512<float> uniformLanes, int* firing, ref int count)
        {
            // The chosen lanes, packed in lane order behind the queue (vcompressps writes only them).
            var chosen = Vector512.Equals(LaneBits & Vector512.Create((int)lanes), LaneBits).AsSingle();
            fixed (float* s = standardized, u = uniforms)
            fixed (int* f = features)
            {
                Avx512F.CompressStore(s + queued, chosen, standardizedLanes);
                Avx512F.CompressStore(u + queued, chosen, uniformLanes);
                Avx512F.CompressStore(f + queued, chosen.AsInt32(), Vector512.Create(start) + LaneNumbers);
            }
            queued += BitOperations.PopCount(lanes);
            if (queued >= Width) Evaluate(Width, firing, ref count);
        }

        /// <summary>Evaluates whatever is queued.</summary>
        public void Flush(int* firing, ref int count)
        {
            while (queued > 0) Evaluate(Math.Min(queued, Width), firing, ref count);
        }

        /// <summary>Decides the first <paramref name="lanes"/> queued lanes and drops them from the queue.</summary>
        private void Evaluate(int lanes, int* firing, ref int count)
        {
            fixed (float* s = standardized, u = uniforms)
            fixed (int* f = features)
            {
                var fires = Vector512.LessThan(Vector512.Load(u), UpperTail(Vector512.Load(s), lanes)).ExtractMostSignificantBits() & LaneMask(0, lanes);
                while (fires != 0)
                {
                    firing[count++] = f[BitOperations.TrailingZeroCount(fires)];
                    fires &= fires - 1;
                }
                for (int j = lanes; j < queued; j++)
                {
                    s[j - lanes] = s[j];
                    u[j - lanes] = u[j];
                    f[j - lanes] = f[j];
                }
                queued -= lanes;
            }
        }
    }

    /// <summary>
    /// The reference's Q on the first <paramref name="lanes"/> lanes: <see cref="StandardNormal.UpperTail(Vector{float})"/> on
    /// each <see cref="Vector{T}"/>-wide part that holds one of them (the other lanes are left at 0).
    /// </summary>
    private static Vector512<float> UpperTail(Vector512<float> standardized, int lanes)
    {
        if (Vector<float>.Count == Width) return StandardNormal.UpperTail(standardized.AsVector()).AsVector512();
        var low = StandardNormal.UpperTail(standardized.GetLower().AsVector()).AsVector256();
        var high = lanes > Width / 2 ? StandardNormal.UpperTail(standardized.GetUpper().AsVector()).AsVector256() : Vector256<float>.Zero;
        return Vector512.Create(low, high);
    }

    /// <summary><see cref="FeatureSampler.Uniform"/> on 16 lanes (the same integer hash and conversion).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Uniforms(uint key, int first)
    {
        // key + (first + lane) * golden = (key + first * golden) + lane * golden, modulo 2^32.
        var x = Vector512.Create(key + (uint)first * 0x9E3779B9u) + GoldenLaneSteps;
        x ^= Vector512.ShiftRightLogical(x, 16);
        x *= Vector512.Create(0x21F0AAADu);
        x ^= Vector512.ShiftRightLogical(x, 15);
        x *= Vector512.Create(0x735A2D97u);
        x ^= Vector512.ShiftRightLogical(x, 15);
        return Vector512.ConvertToSingle(Vector512.ShiftRightLogical(x, 8).AsInt32()) * Vector512.Create(1.0f / (1 << 24));
    }
}

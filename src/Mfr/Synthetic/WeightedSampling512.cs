using System.Runtime.Intrinsics;
using Mfr.Numerics;

namespace Mfr.Synthetic;

/// <summary>
/// <see cref="WeightedSampling"/> with Vector512 (issue 16 item 1): the same keys and the same chosen positions, bit for
/// bit, with half the vector operations. The logarithm is the same per-lane algorithm as <see cref="Vector256.Log(Vector256{double})"/>
/// (<c>Vector512.Log</c>, one generic implementation for both widths; tested bitwise against it on millions of uniforms), and
/// the rank counting is exact comparisons, so the chosen set cannot depend on the width. A paper-shaped group (43 keys)
/// takes 6 logarithm vectors and 2 rank-counting rounds instead of 11 and 3.
/// </summary>
internal static unsafe class WeightedSampling512
{
    /// <summary>See <see cref="WeightedSampling.ExponentialKeys"/>.</summary>
    /// <param name="rng">The sample's generator; advanced by <paramref name="count"/> doubles.</param>
    /// <param name="inverseWeights">1 / w_i, <c>[count]</c>.</param>
    /// <param name="count">n.</param>
    /// <param name="uniforms">Working memory, <c>[count]</c>.</param>
    /// <param name="keys">Output, <c>[count]</c>.</param>
    public static void ExponentialKeys(ref Rng rng, double* inverseWeights, int count, double* uniforms, double* keys)
    {
        if (count < 8)
        {
            WeightedSampling.ExponentialKeys(ref rng, inverseWeights, count, uniforms, keys);
            return;
        }
        rng.FillDoubles(new Span<double>(uniforms, count));
        for (int i = 0; i < count; i += 8)
        {
            // The last vector overlaps the one before when count is not a multiple of 8 (recomputing a key is harmless).
            int at = Math.Min(i, count - 8);
            (-Vector512.Log(Vector512<double>.One - Vector512.Load(uniforms + at)) * Vector512.Load(inverseWeights + at)).Store(keys + at);
        }
    }

    /// <summary>See <see cref="WeightedSampling.SmallestInPositionOrder"/>; <paramref name="scratch"/> holds <c>[count + 8]</c> doubles.</summary>
    public static void SmallestInPositionOrder(double* keys, int count, int chosenCount, double* scratch, int* chosen)
    {
        if (chosenCount == 0) return;
        if (count > WeightedSampling.RankCountingLimit || TakeByRank(keys, count, chosenCount, scratch, chosen) != chosenCount)
            WeightedSampling.SmallestInPositionOrder(keys, count, chosenCount, scratch, chosen);
    }

    /// <summary>
    /// Keeps, in position order, the keys whose rank <c>#{j : key_j &lt; key_i}</c> is below s; returns how many (s
    /// unless keys tie, and then the caller falls back to the tie-breaking path). As WeightedSampling's rank counting
    /// with 8 keys per vector: 32 keys per round against every key.
    /// </summary>
    private static int TakeByRank(double* keys, int count, int chosenCount, double* padded, int* chosen)
    {
        int vectors = (count + 7) / 8;
        new ReadOnlySpan<double>(keys, count).CopyTo(new Span<double>(padded, count));
        for (int i = count; i < 8 * vectors; i++) padded[i] = double.PositiveInfinity;
        var limit = Vector512.Create((long)chosenCount);
        var infinity = Vector512.Create(double.PositiveInfinity);
        int taken = 0;
        for (int first = 0; first < vectors; first += 4)
        {
            int group = Math.Min(4, vectors - first);
            var mine0 = Vector512.Load(padded + 8 * first);
            var mine1 = group > 1 ? Vector512.Load(padded + 8 * first + 8) : infinity;
            var mine2 = group > 2 ? Vector512.Load(padded + 8 * first + 16) : infinity;
            var mine3 = group > 3 ? Vector512.Load(padded + 8 * first + 24) : infinity;
            Vector512<long> rank0 = default, rank1 = default, rank2 = default, rank3 = default;
            for (int j = 0; j < count; j++)
            {
                var key = Vector512.Create(keys[j]);
                rank0 -= Vector512.LessThan(key, mine0).AsInt64();
                rank1 -= Vector512.LessThan(key, mine1).AsInt64();
                rank2 -= Vector512.LessThan(key, mine2).AsInt64();
                rank3 -= Vector512.LessThan(key, mine3).AsInt64();
            }
            ulong below = Vector512.LessThan(rank0, limit).ExtractMostSignificantBits()
                | (Vector512.LessThan(rank1, limit).ExtractMostSignificantBits() << 8)
                | (Vector512.LessThan(rank2, limit).ExtractMostSignificantBits() << 16)
                | (Vector512.LessThan(rank3, limit).ExtractMostSignificantBits() << 24);
            int lanes = Math.Min(32, count - 8 * first);
            for (int lane = 0; lane < lanes; lane++)
            {
                chosen[taken] = 8 * first + lane;
                taken += (int)((below >> lane) & 1);
            }
        }
        return taken;
    }
}

using System.Runtime.Intrinsics;
using Mfr.Numerics;

namespace Mfr.Synthetic;

/// <summary>
/// <see cref="WeightedSampling"/> with Vector512 (issue 16 item 1): the same keys and the same chosen positions, bit for
/// bit, with half the vector operations. The logarithm is the same per-lane algorithm as <see cref="Vector256.Log(Vector256{double})"/>
/// (<c>Vector512.Log</c>, one generic implementation for both widths; tested bitwise against it on millions of uniforms), and
/// the rank counting is exact comparisons, so the chosen set cannot depend on the width. A paper-shaped group (43 keys)
/// takes 6 logarithm vectors and one rank-counting sweep of 6 compares per key instead of 11 vectors and 3 sweeps of 4.
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
    /// unless keys tie, and then the caller falls back to the tie-breaking path). Up to 64 keys (8 vectors of 8) are
    /// ranked in one sweep over the keys, each compare a masked increment (vcmppd, vpaddq {k}); the paper's groups of
    /// 42-43 keys take the 6-vector sweep, 6 compares per key instead of the Vector256 path's 12 in 3 sweeps.
    /// </summary>
    private static int TakeByRank(double* keys, int count, int chosenCount, double* padded, int* chosen)
    {
        int vectors = (count + 7) / 8;
        new ReadOnlySpan<double>(keys, count).CopyTo(new Span<double>(padded, count));
        for (int i = count; i < 8 * vectors; i++) padded[i] = double.PositiveInfinity;
        ulong below = vectors <= 4 ? RanksBelow4(keys, count, chosenCount, padded, vectors)
            : vectors <= 6 ? RanksBelow6(keys, count, chosenCount, padded)
            : RanksBelow8(keys, count, chosenCount, padded, vectors);
        int taken = 0;
        for (int lane = 0; lane < count; lane++)
        {
            chosen[taken] = lane;
            taken += (int)((below >> lane) & 1);
        }
        return taken;
    }

    /// <summary>Vector <paramref name="index"/> of the padded keys, or +infinity (ranked but never kept) past <paramref name="vectors"/>.</summary>
    private static Vector512<double> Mine(double* padded, int index, int vectors)
        => index < vectors ? Vector512.Load(padded + 8 * index) : Vector512.Create(double.PositiveInfinity);

    /// <summary>Bit i set when key i has fewer than <paramref name="chosenCount"/> keys below it.</summary>
    private static ulong Below(Vector512<long> rank, int chosenCount, int index)
        => Vector512.LessThan(rank, Vector512.Create((long)chosenCount)).ExtractMostSignificantBits() << (8 * index);

    private static ulong RanksBelow4(double* keys, int count, int chosenCount, double* padded, int vectors)
    {
        Vector512<double> mine0 = Mine(padded, 0, vectors), mine1 = Mine(padded, 1, vectors), mine2 = Mine(padded, 2, vectors), mine3 = Mine(padded, 3, vectors);
        Vector512<long> rank0 = default, rank1 = default, rank2 = default, rank3 = default, one = Vector512<long>.One;
        for (int j = 0; j < count; j++)
        {
            var key = Vector512.Create(keys[j]);
            rank0 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine0).AsInt64(), rank0 + one, rank0);
            rank1 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine1).AsInt64(), rank1 + one, rank1);
            rank2 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine2).AsInt64(), rank2 + one, rank2);
            rank3 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine3).AsInt64(), rank3 + one, rank3);
        }
        return Below(rank0, chosenCount, 0) | Below(rank1, chosenCount, 1) | Below(rank2, chosenCount, 2) | Below(rank3, chosenCount, 3);
    }

    private static ulong RanksBelow6(double* keys, int count, int chosenCount, double* padded)
    {
        Vector512<double> mine0 = Mine(padded, 0, 6), mine1 = Mine(padded, 1, 6), mine2 = Mine(padded, 2, 6);
        Vector512<double> mine3 = Mine(padded, 3, 6), mine4 = Mine(padded, 4, 6), mine5 = Mine(padded, 5, 6);
        Vector512<long> rank0 = default, rank1 = default, rank2 = default, rank3 = default, rank4 = default, rank5 = default, one = Vector512<long>.One;
        for (int j = 0; j < count; j++)
        {
            var key = Vector512.Create(keys[j]);
            rank0 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine0).AsInt64(), rank0 + one, rank0);
            rank1 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine1).AsInt64(), rank1 + one, rank1);
            rank2 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine2).AsInt64(), rank2 + one, rank2);
            rank3 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine3).AsInt64(), rank3 + one, rank3);
            rank4 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine4).AsInt64(), rank4 + one, rank4);
            rank5 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine5).AsInt64(), rank5 + one, rank5);
        }
        return Below(rank0, chosenCount, 0) | Below(rank1, chosenCount, 1) | Below(rank2, chosenCount, 2)
            | Below(rank3, chosenCount, 3) | Below(rank4, chosenCount, 4) | Below(rank5, chosenCount, 5);
    }

    private static ulong RanksBelow8(double* keys, int count, int chosenCount, double* padded, int vectors)
    {
        Vector512<double> mine0 = Mine(padded, 0, vectors), mine1 = Mine(padded, 1, vectors), mine2 = Mine(padded, 2, vectors), mine3 = Mine(padded, 3, vectors);
        Vector512<double> mine4 = Mine(padded, 4, vectors), mine5 = Mine(padded, 5, vectors), mine6 = Mine(padded, 6, vectors), mine7 = Mine(padded, 7, vectors);
        Vector512<long> rank0 = default, rank1 = default, rank2 = default, rank3 = default, one = Vector512<long>.One;
        Vector512<long> rank4 = default, rank5 = default, rank6 = default, rank7 = default;
        for (int j = 0; j < count; j++)
        {
            var key = Vector512.Create(keys[j]);
            rank0 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine0).AsInt64(), rank0 + one, rank0);
            rank1 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine1).AsInt64(), rank1 + one, rank1);
            rank2 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine2).AsInt64(), rank2 + one, rank2);
            rank3 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine3).AsInt64(), rank3 + one, rank3);
            rank4 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine4).AsInt64(), rank4 + one, rank4);
            rank5 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine5).AsInt64(), rank5 + one, rank5);
            rank6 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine6).AsInt64(), rank6 + one, rank6);
            rank7 = Vector512.ConditionalSelect(Vector512.LessThan(key, mine7).AsInt64(), rank7 + one, rank7);
        }
        return Below(rank0, chosenCount, 0) | Below(rank1, chosenCount, 1) | Below(rank2, chosenCount, 2) | Below(rank3, chosenCount, 3)
            | Below(rank4, chosenCount, 4) | Below(rank5, chosenCount, 5) | Below(rank6, chosenCount, 6) | Below(rank7, chosenCount, 7);
    }
}

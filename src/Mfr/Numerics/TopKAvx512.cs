using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// AVX-512 TopK of one row, exact (same output as <see cref="TopKReference"/>), in four SIMD passes
/// over order-preserving int keys (<see cref="TopKKeys"/>):
/// 1. keys, and per lane the r = ceil(k/16) largest keys (a sorting network of r registers): the
///    smallest lane's r-th largest, T, has at least 16 r >= k keys at or above it;
/// 2. compress the candidates (key >= T) with their columns, in column order (typically ~2k of them);
/// 3. the k-th largest key V among candidates: by counting, for every candidate, the candidates
///    above it (V = smallest key with fewer than k above), or by bisection when there are many;
/// 4. keep candidates with key > V plus the first (k - #above) with key == V in column order
///    (ties to the lower column), compressed in column order, so indices come out ascending.
/// Larger k (r > 4) skips passes 1-2 and treats every entry as a candidate.
/// </summary>
internal static unsafe class TopKAvx512
{
    private const int Lanes = 16;

    /// <summary>Ints of scratch needed per thread for rows of <paramref name="columnCount"/> columns.</summary>
    public static long ScratchInts(int columnCount, int k)
        => Math.Max(3L * (columnCount + 2 * Lanes) + k + 2 * Lanes + NarrowedInts, TopKAvx512Bracketed.ScratchInts(columnCount, k));

    /// <summary>Room for the keys between the two pivots: at most 4 vectors are kept, plus one vector of store overhang.</summary>
    private const int NarrowedInts = 6 * Lanes;

    /// <summary>
    /// Selects one row: by <see cref="TopKAvx512Bracketed"/> when <paramref name="guess"/> offers a bracket that holds
    /// the row's k-th value, else by the four passes; either way the row's k-th value then refines the guess.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SelectRow(float* row, int columnCount, int k, int* scratch, int* indices, float* values, ref TopKThresholdGuess guess)
    {
        float scale = TopKAvx512Bracketed.RowScale(row, columnCount);
        if (guess.TryBracket(scale, out float low, out float high))
        {
            if (TopKAvx512Bracketed.TrySelectRow(row, columnCount, k, low, high, scratch, indices, values, out float bracketed, out bool outside))
            {
                guess.Hit();
                guess.Observe(bracketed, 0, scale);
                return;
            }
            guess.Miss(widen: outside);
        }
        var (kth, belowKth) = SelectRow(row, columnCount, k, scratch, indices, values);
        guess.Observe(kth, kth - belowKth, scale);
    }

    /// <summary>Selects one row in four passes; returns its k-th largest value and a value about k ranks below it (or NaN).</summary>
    public static (float Kth, float BelowKth) SelectRow(float* row, int columnCount, int k, int* scratch, int* indices, float* values)
    {
        int padded = (columnCount + Lanes - 1) / Lanes * Lanes;
        int* keys = scratch;
        int* candidateKeys = keys + padded + Lanes;
        int* candidateColumns = candidateKeys + columnCount + 2 * Lanes;
        int* chosen = candidateColumns + columnCount + 2 * Lanes;
        int* narrowed = chosen + k + 2 * Lanes;

        int lanesRank = (k + Lanes - 1) / Lanes;
        int kth, belowKth;
        if (lanesRank <= 4)
        {
            var pivots = lanesRank switch
            {
                1 => KeysAndLaneRanks<Rank1>(row, columnCount, padded, keys),
                2 => KeysAndLaneRanks<Rank2>(row, columnCount, padded, keys),
                3 => KeysAndLaneRanks<Rank3>(row, columnCount, padded, keys),
                _ => KeysAndLaneRanks<Rank4>(row, columnCount, padded, keys),
            };
            belowKth = Vector512Reductions.HorizontalMin(pivots);
            int candidates = Compress(keys, columnCount, padded, belowKth, candidateKeys, candidateColumns);
            kth = KthByPivots(candidateKeys, candidates, k, pivots, narrowed);
            Choose(candidateKeys, candidateColumns, candidates, k, kth, chosen);
        }
        else
        {
            KeysAndLaneRanks<Rank1>(row, columnCount, padded, keys);
            int candidates = Compress(keys, columnCount, padded, int.MinValue, candidateKeys, candidateColumns);
            kth = KthByBisection(candidateKeys, candidates, k);
            Choose(candidateKeys, candidateColumns, candidates, k, kth, chosen);
            // No value k ranks below at hand: a quarter of the k-th value's magnitude stands in (the guess adapts).
            belowKth = TopKKeys.Key(ValueOfKey(kth) - MathF.Abs(ValueOfKey(kth)) / 4);
        }
        int s = 0;
        for (; s <= k - 8; s += 8)
        {
            var columns = Vector256.Load(chosen + s);
            columns.Store(indices + s);
            Avx2.GatherVector256(row, columns, sizeof(float)).Store(values + s);
        }
        for (; s < k; s++)
        {
            int column = chosen[s];
            indices[s] = column;
            values[s] = row[column];
        }
        return (ValueOfKey(kth), ValueOfKey(belowKth));
    }

    /// <summary>The value of a key (<see cref="TopKKeys"/>; the map is its own inverse); NaN for the key of NaN.</summary>
    private static float ValueOfKey(int key) => BitConverter.Int32BitsToSingle(key ^ ((key >> 31) & int.MaxValue));

    /// <summary>
    /// Writes the keys of the row (padded with int.MinValue to whole vectors) and returns each lane's
    /// <typeparamref name="TRank"/>-th largest key: at least 16 * rank keys are &gt;= their minimum.
    /// </summary>
    private static Vector512<int> KeysAndLaneRanks<TRank>(float* row, int columnCount, int padded, int* keys)
        where TRank : struct, ILaneRank
    {
        int full = columnCount / Lanes * Lanes;
        for (int i = full; i < padded; i++) keys[i] = i < columnCount ? TopKKeys.Key(row[i]) : int.MinValue;
        var lowest = Vector512.Create(int.MinValue);
        Vector512<int> m0 = lowest, m1 = lowest, m2 = lowest, m3 = lowest;
        for (int i = 0; i < padded; i += Lanes)
        {
            var x = i < full ? Key(Vector512.Load(row + i)) : Vector512.Load(keys + i);
            x.Store(keys + i);
            // Insert x into the per-lane sorted list m0 >= m1 >= ... (TRank registers; the JIT drops the rest).
            var carry = Vector512.Min(m0, x);
            m0 = Vector512.Max(m0, x);
            if (TRank.Value == 1) continue;
            var next = Vector512.Min(m1, carry);
            m1 = Vector512.Max(m1, carry);
            if (TRank.Value == 2) continue;
            carry = Vector512.Min(m2, next);
            m2 = Vector512.Max(m2, next);
            if (TRank.Value == 3) continue;
            m3 = Vector512.Max(m3, carry);
        }
        return TRank.Value switch { 1 => m0, 2 => m1, 3 => m2, _ => m3 };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Key(Vector512<float> value)
    {
        // + 0 turns -0 into +0 (IEEE round-to-nearest), so they get the same key and tie.
        var bits = (value + Vector512<float>.Zero).AsInt32();
        var key = bits ^ (Vector512.ShiftRightArithmetic(bits, 31) & Vector512.Create(int.MaxValue));
        return Vector512.ConditionalSelect(Vector512.Equals(value, value).AsInt32(), key, Vector512.Create(int.MinValue));
    }

    /// <summary>Copies keys &gt;= <paramref name="threshold"/> and their columns, in column order; returns how many.</summary>
    private static int Compress(int* keys, int columnCount, int padded, int threshold, int* candidateKeys, int* candidateColumns)
    {
        var limit = Vector512.Create(threshold);
        var columns = Vector512.CreateSequence(0, 1);
        var step = Vector512.Create(Lanes);
        var count = Vector512.Create(columnCount);
        int found = 0;
        for (int i = 0; i < padded; i += Lanes)
        {
            var key = Vector512.Load(keys + i);
            var take = Vector512.GreaterThanOrEqual(key, limit) & Vector512.LessThan(columns, count);
            // No branch: about half the vectors hold a candidate, so a test would mispredict often.
            Avx512F.Compress(key, take, key).Store(candidateKeys + found);
            Avx512F.Compress(columns, take, columns).Store(candidateColumns + found);
            found += BitOperations.PopCount((uint)take.ExtractMostSignificantBits());
            columns += step;
        }
        // Pad the last candidate vector with the lowest key: never above a threshold, never counted.
        Vector512.Create(int.MinValue).Store(candidateKeys + found);
        return found;
    }

    /// <summary>
    /// The k-th largest V of <paramref name="count"/> candidate keys (the largest key with at least k
    /// keys &gt;= it), in two counting rounds of one vector each: (1) for 16 pivots (each lane's r-th
    /// largest key, spread around V) count the candidates at or above each pivot, giving pivots
    /// L &lt;= V &lt; U; (2) for the few candidates in [L, U) (~5 on Gaussian rows), count those
    /// of them at or above each (plus the known count at or above U); V is the largest with count
    /// &gt;= k. Falls back to bisection when [L, U) holds many keys (heavy ties).
    /// </summary>
    private static int KthByPivots(int* candidateKeys, int count, int k, Vector512<int> pivots, int* narrowed)
    {
        var atOrAbove = CountAtOrAbove(candidateKeys, count, pivots);
        var enough = Vector512.GreaterThanOrEqual(atOrAbove, Vector512.Create(k));
        int low = Vector512Reductions.HorizontalMax(Vector512.ConditionalSelect(enough, pivots, Vector512.Create(int.MinValue)));
        int high = Vector512Reductions.HorizontalMin(Vector512.ConditionalSelect(enough, Vector512.Create(int.MaxValue), pivots));
        // Keys at or above U: the count of the pivot U itself (0 when every pivot had enough).
        int atOrAboveHigh = Vector512Reductions.HorizontalMax(Vector512.ConditionalSelect(Vector512.Equals(pivots, Vector512.Create(high)) & ~enough, atOrAbove, Vector512<int>.Zero));
        int between = CompressRange(candidateKeys, count, low, high, narrowed);
        if (between > 4 * Lanes) return KthByBisection(candidateKeys, count, k);
        // For x in [L, U): #(keys >= x) = #(keys >= U) + #(keys in [L, U) that are >= x), so the second
        // round only counts within the few narrowed keys.
        int needed = k - atOrAboveHigh;
        Vector512.Create(int.MinValue).Store(narrowed + between);
        int kth = low;
        for (int first = 0; first < between; first += Lanes)
        {
            var keys = Vector512.Load(narrowed + first);
            var counts = CountAtOrAbove(narrowed, between, keys);
            var valid = Vector512.LessThan(Vector512.CreateSequence(first, 1), Vector512.Create(between));
            var qualifies = Vector512.GreaterThanOrEqual(counts, Vector512.Create(needed)) & valid;
            kth = Math.Max(kth, Vector512Reductions.HorizontalMax(Vector512.ConditionalSelect(qualifies, keys, Vector512.Create(int.MinValue))));
        }
        return kth;
    }

    /// <summary>Per lane of <paramref name="limits"/>: how many of the <paramref name="count"/> keys are &gt;= it.</summary>
    private static Vector512<int> CountAtOrAbove(int* keys, int count, Vector512<int> limits)
    {
        // Two accumulators; the compare-and-masked-increment compiles to vpcmpd + masked vpaddd.
        Vector512<int> even = Vector512<int>.Zero, odd = Vector512<int>.Zero, one = Vector512<int>.One;
        int j = 0;
        for (; j + 1 < count; j += 2)
        {
            even = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(limits, Vector512.Create(keys[j])), even + one, even);
            odd = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(limits, Vector512.Create(keys[j + 1])), odd + one, odd);
        }
        if (j < count) even = Vector512.ConditionalSelect(Vector512.LessThanOrEqual(limits, Vector512.Create(keys[j])), even + one, even);
        return even + odd;
    }

    /// <summary>Copies the keys in [<paramref name="low"/>, <paramref name="high"/>) to <paramref name="destination"/>; returns how many.</summary>
    private static int CompressRange(int* keys, int count, int low, int high, int* destination)
    {
        var lowVector = Vector512.Create(low);
        var highVector = Vector512.Create(high);
        int found = 0;
        for (int first = 0; first < count; first += Lanes)
        {
            var key = Vector512.Load(keys + first);
            // Padding lanes hold int.MinValue < low, so they never qualify.
            var take = Vector512.GreaterThanOrEqual(key, lowVector) & Vector512.LessThan(key, highVector);
            uint bits = (uint)take.ExtractMostSignificantBits();
            if (bits == 0) continue;
            if (found > 4 * Lanes) return found + BitOperations.PopCount(bits);
            Avx512F.Compress(key, take, key).Store(destination + found);
            found += BitOperations.PopCount(bits);
        }
        return found;
    }

    /// <summary>The largest key V with at least k keys &gt;= V, by bisection over the 32-bit key range.</summary>
    private static int KthByBisection(int* candidateKeys, int count, int k)
    {
        long low = int.MinValue, high = (long)int.MaxValue + 1;
        while (high - low > 1)
        {
            long middle = low + (high - low) / 2;
            if (CountAtLeast(candidateKeys, count, (int)middle) >= k) low = middle;
            else high = middle;
        }
        return (int)low;
    }

    private static int CountAtLeast(int* keys, int count, int limit)
    {
        var limitVector = Vector512.Create(limit);
        var total = Vector512<int>.Zero;
        int vectorCount = (count + Lanes - 1) / Lanes;
        for (int v = 0; v < vectorCount; v++) total -= Vector512.GreaterThanOrEqual(Vector512.Load(keys + v * Lanes), limitVector);
        // Padding lanes hold int.MinValue and limit > int.MinValue here, so they never count.
        return Vector512.Sum(total);
    }

    /// <summary>Writes the k chosen columns in ascending order: keys above <paramref name="kth"/>, then ties by column.</summary>
    private static void Choose(int* candidateKeys, int* candidateColumns, int count, int k, int kth, int* chosen)
    {
        int vectorCount = (count + Lanes - 1) / Lanes;
        var kthVector = Vector512.Create(kth);
        int above = 0;
        for (int v = 0; v < vectorCount; v++)
            above += BitOperations.PopCount((uint)Vector512.GreaterThan(Vector512.Load(candidateKeys + v * Lanes), kthVector).ExtractMostSignificantBits());
        int tiesWanted = k - above;
        var laneBit = Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
        int written = 0;
        for (int v = 0; v < vectorCount; v++)
        {
            var key = Vector512.Load(candidateKeys + v * Lanes);
            uint valid = v * Lanes + Lanes <= count ? 0xFFFFu : (1u << (count - v * Lanes)) - 1;
            uint take = (uint)Vector512.GreaterThan(key, kthVector).ExtractMostSignificantBits();
            uint ties = (uint)Vector512.Equals(key, kthVector).ExtractMostSignificantBits() & valid;
            if (tiesWanted > 0 && ties != 0)
            {
                int tieCount = BitOperations.PopCount(ties);
                if (tieCount > tiesWanted) ties = Bmi2.IsSupported ? Bmi2.ParallelBitDeposit((1u << tiesWanted) - 1, ties) : TopKPortable.LowestBits(ties, tiesWanted);
                take |= ties;
                tiesWanted -= BitOperations.PopCount(ties);
            }
            if (take == 0) continue;
            var takeMask = Vector512.Equals(Vector512.Create((int)take) & laneBit, laneBit);
            var columns = Vector512.Load(candidateColumns + v * Lanes);
            Avx512F.Compress(columns, takeMask, columns).Store(chosen + written);
            written += BitOperations.PopCount(take);
        }
    }
}

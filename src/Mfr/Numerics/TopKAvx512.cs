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
    public static long ScratchInts(int columnCount, int k) => 3L * (columnCount + 2 * Lanes) + k + 2 * Lanes;

    public static void SelectRow(float* row, int columnCount, int k, int* scratch, int* indices, float* values)
    {
        int padded = (columnCount + Lanes - 1) / Lanes * Lanes;
        int* keys = scratch;
        int* candidateKeys = keys + padded + Lanes;
        int* candidateColumns = candidateKeys + columnCount + 2 * Lanes;
        int* chosen = candidateColumns + columnCount + 2 * Lanes;

        ComputeKeys(row, columnCount, padded, keys);
        int lanesRank = (k + Lanes - 1) / Lanes;
        int threshold = lanesRank <= 4 ? LaneThreshold(keys, padded / Lanes, lanesRank) : int.MinValue;
        int candidates = Compress(keys, columnCount, padded, threshold, candidateKeys, candidateColumns);
        int kth = candidates <= 8 * Lanes ? KthByCounting(candidateKeys, candidates, k) : KthByBisection(candidateKeys, candidates, k);
        Choose(candidateKeys, candidateColumns, candidates, k, kth, chosen);
        for (int s = 0; s < k; s++)
        {
            int column = chosen[s];
            indices[s] = column;
            values[s] = row[column];
        }
    }

    private static void ComputeKeys(float* row, int columnCount, int padded, int* keys)
    {
        int i = 0;
        for (; i <= columnCount - Lanes; i += Lanes)
        {
            var value = Vector512.Load(row + i);
            // + 0 turns -0 into +0 (IEEE round-to-nearest), so they get the same key and tie.
            var bits = (value + Vector512<float>.Zero).AsInt32();
            var key = bits ^ (Vector512.ShiftRightArithmetic(bits, 31) & Vector512.Create(int.MaxValue));
            var isNumber = Vector512.Equals(value, value).AsInt32();
            Vector512.ConditionalSelect(isNumber, key, Vector512.Create(int.MinValue)).Store(keys + i);
        }
        for (; i < columnCount; i++) keys[i] = TopKKeys.Key(row[i]);
        for (; i < padded; i++) keys[i] = int.MinValue;
    }

    /// <summary>The smallest over lanes of each lane's <paramref name="rank"/>-th largest key (1 &lt;= rank &lt;= 4).</summary>
    private static int LaneThreshold(int* keys, int vectorCount, int rank)
    {
        var lowest = Vector512.Create(int.MinValue);
        Vector512<int> m0 = lowest, m1 = lowest, m2 = lowest, m3 = lowest;
        for (int v = 0; v < vectorCount; v++)
        {
            var x = Vector512.Load(keys + v * Lanes);
            var carry = Vector512.Min(m0, x);
            m0 = Vector512.Max(m0, x);
            if (rank == 1) continue;
            var next = Vector512.Min(m1, carry);
            m1 = Vector512.Max(m1, carry);
            if (rank == 2) continue;
            carry = Vector512.Min(m2, next);
            m2 = Vector512.Max(m2, next);
            if (rank == 3) continue;
            m3 = Vector512.Max(m3, carry);
        }
        var last = rank switch { 1 => m0, 2 => m1, 3 => m2, _ => m3 };
        return HorizontalMin(last);
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
            uint bits = (uint)take.ExtractMostSignificantBits();
            if (bits != 0)
            {
                Avx512F.Compress(key, take, key).Store(candidateKeys + found);
                Avx512F.Compress(columns, take, columns).Store(candidateColumns + found);
                found += BitOperations.PopCount(bits);
            }
            columns += step;
        }
        // Pad the last candidate vector with the lowest key: never above a threshold, never counted.
        Vector512.Create(int.MinValue).Store(candidateKeys + found);
        return found;
    }

    /// <summary>
    /// The k-th largest of <paramref name="count"/> keys: for every key count the keys strictly above
    /// it; the answer is the smallest key with fewer than k above. O(count^2 / 16), for count &lt;= 128.
    /// </summary>
    private static int KthByCounting(int* candidateKeys, int count, int k)
    {
        int vectorCount = (count + Lanes - 1) / Lanes;
        Vector512<int>* above = stackalloc Vector512<int>[8];
        for (int v = 0; v < vectorCount; v++) above[v] = Vector512<int>.Zero;
        for (int j = 0; j < count; j++)
        {
            var other = Vector512.Create(candidateKeys[j]);
            for (int v = 0; v < vectorCount; v++)
            {
                // GreaterThan yields -1 per lane where the other key is above: subtracting counts it.
                above[v] -= Vector512.GreaterThan(other, Vector512.Load(candidateKeys + v * Lanes));
            }
        }
        var kVector = Vector512.Create(k);
        var best = Vector512.Create(int.MaxValue);
        var lane = Vector512.CreateSequence(0, 1);
        var valid = Vector512.Create(count);
        for (int v = 0; v < vectorCount; v++)
        {
            var inTopK = Vector512.LessThan(above[v], kVector) & Vector512.LessThan(lane + Vector512.Create(v * Lanes), valid);
            best = Vector512.Min(best, Vector512.ConditionalSelect(inTopK, Vector512.Load(candidateKeys + v * Lanes), Vector512.Create(int.MaxValue)));
        }
        return HorizontalMin(best);
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
                if (tieCount > tiesWanted) ties = Bmi2.IsSupported ? Bmi2.ParallelBitDeposit((1u << tiesWanted) - 1, ties) : LowestBits(ties, tiesWanted);
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

    private static uint LowestBits(uint bits, int count)
    {
        uint kept = 0;
        for (int i = 0; i < count; i++)
        {
            kept |= bits & (0u - bits);
            bits &= bits - 1;
        }
        return kept;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HorizontalMin(Vector512<int> value)
    {
        var half = Vector256.Min(value.GetLower(), value.GetUpper());
        var quarter = Vector128.Min(half.GetLower(), half.GetUpper());
        int result = quarter[0];
        for (int i = 1; i < Vector128<int>.Count; i++) result = Math.Min(result, quarter[i]);
        return result;
    }
}

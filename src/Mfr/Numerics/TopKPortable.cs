using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Mfr.Numerics.Vector256Packing;

namespace Mfr.Numerics;

/// <summary>
/// Portable (Vector256) TopK of one row, exact (same output as <see cref="TopKReference"/>): the
/// design of <see cref="TopKAvx512"/> for 8-lane vectors without a compress instruction:
/// 1. per lane (8, 16 or 32 lanes: 1, 2 or 4 vectors per step) the r largest values, by a sorting
///    network of r &lt;= 4 registers run on the floats themselves (vmaxps/vminps, cheaper than keys
///    first; the pass also checks the row holds no NaN): the smallest lane's r-th largest, T, has
///    at least lanes x r &gt;= k values at or above it;
/// 2. the candidates (values &gt;= T, typically 1.5-4 k of them) with their columns, in column
///    order, packed by a permutation looked up from the 8-bit compare mask (AVX2 has no
///    vpcompressd) or, in sparse rows, one by one from the mask bits, skipping blocks of 32 values
///    without one; then their order-preserving int keys (<see cref="TopKKeys"/>);
/// 3. the k-th largest key V among the candidates (<see cref="TopKKthKey"/>), by rounds that count
///    the candidates at or above 8 pivots at once and keep only those between the two pivots
///    bracketing V (first round: the lane ranks of step 1, which straddle V);
/// 4. keys above V plus the first (k - #above) equal to V in column order (ties to the lower column),
///    packed in column order, so indices come out ascending.
/// k &gt; 128 (the networks would not fit the registers) and rows holding NaN skip steps 1-2: every
/// key is a candidate and the rounds start from a sample. Without AVX2 the same code runs on the
/// software Vector256 fallbacks (correct, slow).
/// </summary>
internal static unsafe class TopKPortable
{
    private const int Lanes = 8;

    /// <summary>Values per block of the candidate scan (4 vectors, the most vectors per network step).</summary>
    private const int BlockLanes = 4 * Lanes;

    /// <summary>Largest k with a sorting network (32 lanes of rank 4: 16 registers of ranks).</summary>
    private const int MaxNetworkK = 128;

    /// <summary>Ints of scratch needed per thread for rows of <paramref name="columnCount"/> columns (k &lt;= columnCount).</summary>
    public static long ScratchInts(int columnCount) => BlockLanes + 4L * (columnCount + BlockLanes + Lanes);

    /// <summary>Selects the k largest of <paramref name="row"/> (0 &lt; k &lt; columnCount) into <paramref name="indices"/> / <paramref name="values"/>.</summary>
    public static void SelectRow(float* row, int columnCount, int k, int* scratch, int* indices, float* values)
    {
        // The last partial block of the row, padded with -inf; then buffers with room for every
        // column, padding to a whole block, and one vector of store overhang.
        float* tail = (float*)scratch;
        int stride = columnCount + BlockLanes + Lanes;
        int* candidateKeys = scratch + BlockLanes;
        int* candidateColumns = candidateKeys + stride;
        int* narrowed = candidateColumns + stride;
        int* chosen = narrowed + stride;

        int candidates, kth;
        CopyTail(row, columnCount, tail);
        if (k <= MaxNetworkK && LaneRanks(row, columnCount, tail, k, out var pivotValues, out float threshold))
        {
            candidates = PackCandidates(row, columnCount, k, tail, threshold, candidateKeys, candidateColumns);
            var pivots = Key(pivotValues);
            kth = TopKKthKey.KthLargest(candidateKeys, candidates, k, pivots, TopKKthKey.UnknownMaximum, narrowed);
        }
        else
        {
            // Every key is a candidate: k beyond the networks, or a row holding NaN (the networks
            // order floats, which NaN is not). The maximum is a pivot that guarantees progress.
            int largest = AllCandidates(row, columnCount, candidateKeys, candidateColumns);
            candidates = columnCount;
            kth = TopKKthKey.KthLargest(candidateKeys, candidates, k, TopKKthKey.SamplePivots(candidateKeys, candidates, largest), largest, narrowed);
        }
        Choose(candidateKeys, candidateColumns, candidates, k, kth, chosen);
        CopyOut(row, chosen, k, indices, values);
    }

    /// <summary>Copies the columns after the last whole block to <paramref name="tail"/>, <c>[32]</c>, padded with -inf.</summary>
    private static void CopyTail(float* row, int columnCount, float* tail)
    {
        int start = columnCount / BlockLanes * BlockLanes;
        if (start == columnCount) return;
        for (int i = 0; i < BlockLanes; i++) tail[i] = start + i < columnCount ? row[start + i] : float.NegativeInfinity;
    }

    /// <summary>Where the 8 values from column <paramref name="column"/> are read: the row, or the padded copy of its last partial block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* VectorAt(float* row, float* tail, int column, int wholeBlocks) => column < wholeBlocks ? row + column : tail + (column - wholeBlocks);

    /// <summary>
    /// Lane ranks for rank <paramref name="k"/> &lt;= 128 (see the generic overload); false when the
    /// row holds NaN. Lanes and rank per k: more lanes mean fewer registers per lane (a cheaper
    /// network) but a lower threshold (more candidates); measured at h 512, 3072 and 4096
    /// (bench topk-timings), 8 lanes are best up to rank 2, 16 lanes up to rank 3, then 32 lanes.
    /// </summary>
    private static bool LaneRanks(float* row, int columnCount, float* tail, int k, out Vector256<float> pivots, out float threshold)
    {
        bool ordered;
        pivots = k switch
        {
            <= 8 => LaneRanks<Rank1, Rank1>(row, columnCount, tail, out threshold, out ordered),
            <= 16 => LaneRanks<Rank1, Rank2>(row, columnCount, tail, out threshold, out ordered),
            <= 32 => LaneRanks<Rank2, Rank2>(row, columnCount, tail, out threshold, out ordered),
            <= 48 => LaneRanks<Rank2, Rank3>(row, columnCount, tail, out threshold, out ordered),
            <= 64 => LaneRanks<Rank4, Rank2>(row, columnCount, tail, out threshold, out ordered),
            <= 96 => LaneRanks<Rank4, Rank3>(row, columnCount, tail, out threshold, out ordered),
            _ => LaneRanks<Rank4, Rank4>(row, columnCount, tail, out threshold, out ordered),
        };
        return ordered;
    }

    /// <summary>
    /// For 8 x <typeparamref name="TGroups"/> lanes (lane l of vector g of each step of
    /// <typeparamref name="TGroups"/> vectors), each lane's <typeparamref name="TRank"/>-th largest
    /// value, on the floats themselves (min/max are cheaper than making keys first). The smallest of
    /// them has at least 8 x groups x rank values at or above it. Returns 8 of them, lanes taken from
    /// every group; <paramref name="ordered"/> is false when the row holds NaN (then they mean nothing).
    /// Min/MaxNative (vminps/vmaxps) may turn -0 into +0 in the network, which no float comparison
    /// (and no key) can tell apart.
    /// </summary>
    /// <typeparam name="TGroups">Vectors per step (1, 2 or 4), each with its own network: more lanes need fewer registers per lane.</typeparam>
    /// <typeparam name="TRank">Values kept per lane, 1..4.</typeparam>
    private static Vector256<float> LaneRanks<TGroups, TRank>(float* row, int columnCount, float* tail, out float threshold, out bool ordered)
        where TGroups : struct, ILaneRank
        where TRank : struct, ILaneRank
    {
        int wholeBlocks = columnCount / BlockLanes * BlockLanes;
        int padded = (columnCount + BlockLanes - 1) / BlockLanes * BlockLanes;
        var lowest = Vector256.Create(float.NegativeInfinity);
        var notNaN = Vector256<float>.AllBitsSet;
        Vector256<float> a0 = lowest, a1 = lowest, a2 = lowest, a3 = lowest, b0 = lowest, b1 = lowest, b2 = lowest, b3 = lowest;
        Vector256<float> c0 = lowest, c1 = lowest, c2 = lowest, c3 = lowest, d0 = lowest, d1 = lowest, d2 = lowest, d3 = lowest;
        for (int i = 0; i < padded; i += TGroups.Value * Lanes)
        {
            var x = Vector256.Load(VectorAt(row, tail, i, wholeBlocks));
            notNaN &= Vector256.Equals(x, x);
            Insert<TRank>(x, ref a0, ref a1, ref a2, ref a3);
            if (TGroups.Value == 1) continue;
            x = Vector256.Load(VectorAt(row, tail, i + Lanes, wholeBlocks));
            notNaN &= Vector256.Equals(x, x);
            Insert<TRank>(x, ref b0, ref b1, ref b2, ref b3);
            if (TGroups.Value == 2) continue;
            x = Vector256.Load(VectorAt(row, tail, i + 2 * Lanes, wholeBlocks));
            notNaN &= Vector256.Equals(x, x);
            Insert<TRank>(x, ref c0, ref c1, ref c2, ref c3);
            x = Vector256.Load(VectorAt(row, tail, i + 3 * Lanes, wholeBlocks));
            notNaN &= Vector256.Equals(x, x);
            Insert<TRank>(x, ref d0, ref d1, ref d2, ref d3);
        }
        ordered = notNaN.ExtractMostSignificantBits() == 0xFFu;
        var a = Last<TRank>(a0, a1, a2, a3);
        if (TGroups.Value == 1)
        {
            threshold = HorizontalMin(a);
            return a;
        }
        var b = Last<TRank>(b0, b1, b2, b3);
        var odd = Vector256.Create(0, -1, 0, -1, 0, -1, 0, -1).AsSingle();
        if (TGroups.Value == 2)
        {
            threshold = HorizontalMin(Vector256.MinNative(a, b));
            return Vector256.ConditionalSelect(odd, b, a);
        }
        var c = Last<TRank>(c0, c1, c2, c3);
        var d = Last<TRank>(d0, d1, d2, d3);
        threshold = HorizontalMin(Vector256.MinNative(Vector256.MinNative(a, b), Vector256.MinNative(c, d)));
        // Lanes 0, 4 from a; 1, 5 from b; 2, 6 from c; 3, 7 from d.
        var upperPair = Vector256.Create(0, 0, -1, -1, 0, 0, -1, -1).AsSingle();
        return Vector256.ConditionalSelect(upperPair, Vector256.ConditionalSelect(odd, d, c), Vector256.ConditionalSelect(odd, b, a));
    }

    /// <summary>Inserts x into the per-lane sorted list m0 &gt;= m1 &gt;= ... of <typeparamref name="TRank"/> registers (the JIT drops the rest).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Insert<TRank>(Vector256<float> x, ref Vector256<float> m0, ref Vector256<float> m1, ref Vector256<float> m2, ref Vector256<float> m3)
        where TRank : struct, ILaneRank
    {
        var carry = Vector256.MinNative(m0, x);
        m0 = Vector256.MaxNative(m0, x);
        if (TRank.Value == 1) return;
        var next = Vector256.MinNative(m1, carry);
        m1 = Vector256.MaxNative(m1, carry);
        if (TRank.Value == 2) return;
        carry = Vector256.MinNative(m2, next);
        m2 = Vector256.MaxNative(m2, next);
        if (TRank.Value == 3) return;
        m3 = Vector256.MaxNative(m3, carry);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Last<TRank>(Vector256<float> m0, Vector256<float> m1, Vector256<float> m2, Vector256<float> m3)
        where TRank : struct, ILaneRank
        => TRank.Value switch { 1 => m0, 2 => m1, 3 => m2, _ => m3 };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Key(Vector256<float> value)
    {
        // + 0 turns -0 into +0 (IEEE round-to-nearest), so they get the same key and tie.
        var bits = (value + Vector256<float>.Zero).AsInt32();
        var key = bits ^ (Vector256.ShiftRightArithmetic(bits, 31) & Vector256.Create(int.MaxValue));
        return Vector256.ConditionalSelect(Vector256.Equals(value, value).AsInt32(), key, Vector256.Create(int.MinValue));
    }

    /// <summary>
    /// Copies the keys of the values &gt;= <paramref name="threshold"/> and their columns, in column
    /// order; returns how many. The row holds no NaN, so float comparisons order like keys.
    /// </summary>
    private static int PackCandidates(float* row, int columnCount, int k, float* tail, float threshold, int* candidateKeys, int* candidateColumns)
    {
        int wholeBlocks = columnCount / BlockLanes * BlockLanes;
        var limit = Vector256.Create(threshold);
        float* candidateValues = (float*)candidateKeys;
        int found = 0;
        // Sparse rows (16 k <= h: a block with a candidate mostly holds one or two) append them one
        // by one from the bits of the block's compare masks; denser rows pack whole vectors by
        // permutation. Measured: bits 10-15% faster at h 3072-4096, permutations up to 25% faster
        // at h 512 with k >= 48.
        bool sparse = 16L * k <= columnCount;
        for (int block = 0; block < wholeBlocks; block += BlockLanes)
        {
            // One test per block of 32 values skips those without a candidate (most of them when
            // k << h). Measured faster than packing every block even when half hold a candidate.
            float* values = row + block;
            var x0 = Vector256.Load(values);
            var x1 = Vector256.Load(values + Lanes);
            var x2 = Vector256.Load(values + 2 * Lanes);
            var x3 = Vector256.Load(values + 3 * Lanes);
            if (Vector256.LessThanAll(Vector256.MaxNative(Vector256.MaxNative(x0, x1), Vector256.MaxNative(x2, x3)), limit)) continue;
            if (sparse)
            {
                uint bits = Vector256.GreaterThanOrEqual(x0, limit).ExtractMostSignificantBits()
                    | (Vector256.GreaterThanOrEqual(x1, limit).ExtractMostSignificantBits() << Lanes)
                    | (Vector256.GreaterThanOrEqual(x2, limit).ExtractMostSignificantBits() << (2 * Lanes))
                    | (Vector256.GreaterThanOrEqual(x3, limit).ExtractMostSignificantBits() << (3 * Lanes));
                for (; bits != 0; bits &= bits - 1)
                {
                    int lane = BitOperations.TrailingZeroCount(bits);
                    candidateValues[found] = values[lane];
                    candidateColumns[found++] = block + lane;
                }
                continue;
            }
            found = PackAtOrAbove(x0, limit, 0xFFu, block, candidateValues, candidateColumns, found);
            found = PackAtOrAbove(x1, limit, 0xFFu, block + Lanes, candidateValues, candidateColumns, found);
            found = PackAtOrAbove(x2, limit, 0xFFu, block + 2 * Lanes, candidateValues, candidateColumns, found);
            found = PackAtOrAbove(x3, limit, 0xFFu, block + 3 * Lanes, candidateValues, candidateColumns, found);
        }
        for (int column = wholeBlocks; column < columnCount; column += Lanes)
        {
            // The -inf padding would pass a -inf threshold, so the tail masks its lanes.
            var x = Vector256.Load(tail + (column - wholeBlocks));
            found = PackAtOrAbove(x, limit, LaneBits(columnCount - column), column, candidateValues, candidateColumns, found);
        }
        // Keys only for the candidates, in place (float and int have the same size).
        for (int i = 0; i < found; i += Lanes) Key(Vector256.Load(candidateValues + i)).Store(candidateKeys + i);
        return found;
    }

    /// <summary>Appends the lanes of <paramref name="x"/> (columns from <paramref name="column"/>) that are &gt;= <paramref name="limit"/> and in <paramref name="valid"/>; returns the new count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PackAtOrAbove(Vector256<float> x, Vector256<float> limit, uint valid, int column, float* values, int* columns, int found)
    {
        uint take = Vector256.GreaterThanOrEqual(x, limit).ExtractMostSignificantBits() & valid;
        var order = PackOrder(take);
        Pack(x.AsInt32(), order).AsSingle().Store(values + found);
        (order + Vector256.Create(column)).Store(columns + found);
        return found + BitOperations.PopCount(take);
    }

    /// <summary>Writes the key and column of every entry of the row as candidates; returns the largest key.</summary>
    private static int AllCandidates(float* row, int columnCount, int* candidateKeys, int* candidateColumns)
    {
        var largest = Vector256.Create(int.MinValue);
        int i = 0;
        for (; i <= columnCount - Lanes; i += Lanes)
        {
            var key = Key(Vector256.Load(row + i));
            key.Store(candidateKeys + i);
            Vector256.CreateSequence(i, 1).Store(candidateColumns + i);
            largest = Vector256.Max(largest, key);
        }
        int maximum = HorizontalMax(largest);
        for (; i < columnCount; i++)
        {
            candidateKeys[i] = TopKKeys.Key(row[i]);
            candidateColumns[i] = i;
            maximum = Math.Max(maximum, candidateKeys[i]);
        }
        return maximum;
    }

    /// <summary>Writes the k chosen columns in ascending order: keys above <paramref name="kth"/>, then ties by column.</summary>
    private static void Choose(int* candidateKeys, int* candidateColumns, int count, int k, int kth, int* chosen)
    {
        var kthVector = Vector256.Create(kth);
        int above = 0;
        for (int i = 0; i < count; i += Lanes)
            above += BitOperations.PopCount(Vector256.GreaterThan(Vector256.Load(candidateKeys + i), kthVector).ExtractMostSignificantBits() & LaneBits(count - i));
        int tiesWanted = k - above;
        int written = 0;
        for (int i = 0; i < count; i += Lanes)
        {
            var key = Vector256.Load(candidateKeys + i);
            uint valid = LaneBits(count - i);
            uint take = Vector256.GreaterThan(key, kthVector).ExtractMostSignificantBits() & valid;
            uint ties = Vector256.Equals(key, kthVector).ExtractMostSignificantBits() & valid;
            if (tiesWanted > 0 && ties != 0)
            {
                int tieCount = BitOperations.PopCount(ties);
                if (tieCount > tiesWanted) ties = Bmi2.IsSupported ? Bmi2.ParallelBitDeposit((1u << tiesWanted) - 1, ties) : LowestBits(ties, tiesWanted);
                take |= ties;
                tiesWanted -= BitOperations.PopCount(ties);
            }
            Pack(Vector256.Load(candidateColumns + i), PackOrder(take)).Store(chosen + written);
            written += BitOperations.PopCount(take);
        }
    }

    /// <summary>Copies the chosen columns to <paramref name="indices"/> and gathers their values from the row.</summary>
    private static void CopyOut(float* row, int* chosen, int k, int* indices, float* values)
    {
        int s = 0;
        if (Avx2.IsSupported)
        {
            for (; s <= k - Lanes; s += Lanes)
            {
                var columns = Vector256.Load(chosen + s);
                columns.Store(indices + s);
                Avx2.GatherVector256(row, columns, sizeof(float)).Store(values + s);
            }
        }
        for (; s < k; s++)
        {
            int column = chosen[s];
            indices[s] = column;
            values[s] = row[column];
        }
    }

    /// <summary>The <paramref name="count"/> lowest set bits of <paramref name="bits"/> (pdep of a low mask, for CPUs without BMI2).</summary>
    internal static uint LowestBits(uint bits, int count)
    {
        uint kept = 0;
        for (int i = 0; i < count; i++)
        {
            kept |= bits & (0u - bits);
            bits &= bits - 1;
        }
        return kept;
    }


}

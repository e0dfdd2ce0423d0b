using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>
/// AVX-512 TopK of one row given a guessed bracket [low, high) for its k-th largest value (<see cref="TopKThresholdGuess"/>),
/// exact whenever it succeeds (same output as <see cref="TopKReference"/>), in one pass over the row:
/// 1. compress the columns of the values &gt;= low, in column order (NaN fails every comparison, so it is never taken);
///    with at least k of them the k largest values are all among them, since every other value is below low or NaN;
/// 2. gather their values and count them at high and at the bracket's quartile points: with fewer than k at or above
///    high the k-th value lies in [low, high), and in the quarter whose lower end has k or more at or above it;
/// 3. the k-th value V is the largest value x in that quarter with (count at or above its top) + (quarter's values
///    &gt;= x) &gt;= k, counted for each of its values (typically under 16) against all of them;
/// 4. keep the candidates &gt;= V when exactly k are, else those &gt; V plus the first (k - #above) equal to V in column
///    order (ties to the lower column).
/// The float comparisons order -0 and +0 as equal, as the reference does. It gives up (returns false, nothing written)
/// when fewer than k values reach low, k or more reach high, or the quarter holds more than <see cref="MaxBracket"/>.
/// </summary>
internal static unsafe class TopKAvx512Bracketed
{
    private const int Lanes = 16;

    /// <summary>Vectors <see cref="RowScale"/> samples: a scale within ~4% (Gaussian values) for 1/16 of a pass at h 512 and 1/8 at h 4096.</summary>
    private const int SampledVectors = 32;

    /// <summary>Most values the bracket's quarter may hold: counting them costs up to (its size)^2 / 16 compares, ~256 at this size.</summary>
    public const int MaxBracket = 4 * Lanes;

    /// <summary>Ints of scratch needed per thread for rows of <paramref name="columnCount"/> columns.</summary>
    public static long ScratchInts(int columnCount, int k) => 2L * (columnCount + 2 * Lanes) + 2L * (MaxBracket + 2 * Lanes) + 2L * (k + 2 * Lanes);

    /// <summary>Selects the row's k largest into <paramref name="indices"/> and <paramref name="values"/> if the bracket holds its k-th value.</summary>
    /// <param name="row">The row, <c>[columnCount]</c>.</param>
    /// <param name="columnCount">Columns, &gt; k.</param>
    /// <param name="k">Entries kept, &gt;= 1.</param>
    /// <param name="low">Bracket's lower end (finite).</param>
    /// <param name="high">Bracket's upper end (finite).</param>
    /// <param name="scratch">Per-thread scratch, <see cref="ScratchInts"/> ints.</param>
    /// <param name="indices">Output columns, <c>[k]</c>, ascending.</param>
    /// <param name="values">Output values, <c>[k]</c>.</param>
    /// <param name="kth">The row's k-th largest value when it succeeds.</param>
    /// <param name="outside">When it fails: true if the k-th value lay outside the bracket, false if the bracket held too many values.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TrySelectRow(float* row, int columnCount, int k, float low, float high, int* scratch, int* indices, float* values, out float kth, out bool outside)
    {
        int* candidateColumns = scratch;
        float* candidateValues = (float*)(candidateColumns + columnCount + 2 * Lanes);
        float* bracket = candidateValues + columnCount + 2 * Lanes;
        int* chosenColumns = (int*)(bracket + MaxBracket + 2 * Lanes);
        float* chosenValues = (float*)(chosenColumns + k + 2 * Lanes);
        float* narrowed = chosenValues + k + 2 * Lanes;
        kth = float.NaN;
        outside = true;

        int count = CompressAtOrAbove(row, columnCount, low, candidateColumns);
        if (count < k) return false;
        GatherCandidates(row, candidateColumns, count, candidateValues);
        int vectorCount = (count + Lanes - 1) / Lanes;
        // The bracket's top and its quartile points (clamped: rounding must not leave the bracket), counted in one pass.
        float quarter = (high - low) * 0.25f;
        float* ends = stackalloc float[5];
        ends[0] = low;
        ends[1] = MathF.Min(low + quarter, high);
        ends[2] = MathF.Min(low + 2 * quarter, high);
        ends[3] = MathF.Min(low + 3 * quarter, high);
        ends[4] = high;
        int* atOrAbove = stackalloc int[5];
        atOrAbove[0] = count;
        CountAtOrAboveEnds(candidateValues, vectorCount, ends, atOrAbove);
        if (atOrAbove[4] >= k) return false;
        outside = false;
        // The quarter [ends[q], ends[q + 1]) holding the k-th value: counts fall with the ends, and the first has >= k.
        // Indexing rather than branching: which quarter is as good as random.
        int q = (atOrAbove[1] >= k ? 1 : 0) + (atOrAbove[2] >= k ? 1 : 0) + (atOrAbove[3] >= k ? 1 : 0);
        int above = atOrAbove[q + 1], between = atOrAbove[q] - above;
        if (between > MaxBracket) return false;

        CompressRange(candidateValues, count, ends[q], ends[q + 1], bracket);
        kth = KthInBracket(bracket, between, k - above, narrowed);
        // Exactly k values at or above V (no tie straddles the cut, as on any continuous data): keep those, no tie-breaking.
        if (above + CountAtOrAbove(bracket, between, kth) == k) ChooseAtOrAbove(candidateColumns, candidateValues, vectorCount, kth, chosenColumns, chosenValues);
        else Choose(candidateColumns, candidateValues, vectorCount, k, kth, chosenColumns, chosenValues);
        int s = 0;
        for (; s <= k - 8; s += 8)
        {
            Vector256.Load(chosenColumns + s).Store(indices + s);
            Vector256.Load(chosenValues + s).Store(values + s);
        }
        for (; s < k; s++)
        {
            indices[s] = chosenColumns[s];
            values[s] = chosenValues[s];
        }
        return true;
    }

    /// <summary>
    /// Root mean square of a sample of the row's whole vectors (about <see cref="SampledVectors"/>, evenly spaced), 0 when
    /// it has none: the scale <see cref="TopKThresholdGuess"/> divides k-th values by. Rows of one encoder differ mostly in
    /// scale (|x| varies from sample to sample), so the k-th value over this scale varies 2-3x less from row to row than
    /// the k-th value itself (SAE pre-activations at the synthetic, EEG, GPT-2 and SynthSAEBench shapes), and so does
    /// the bracket's width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float RowScale(float* row, int columnCount)
    {
        int vectors = columnCount / Lanes;
        if (vectors == 0) return 0;
        int stride = Math.Max(1, vectors / SampledVectors), sampled = 0, v = 0;
        // Four accumulators cover the FMA latency.
        Vector512<float> sum0 = Vector512<float>.Zero, sum1 = sum0, sum2 = sum0, sum3 = sum0;
        for (; v + 3 * stride < vectors; v += 4 * stride, sampled += 4)
        {
            var x0 = Vector512.Load(row + v * Lanes);
            var x1 = Vector512.Load(row + (v + stride) * Lanes);
            var x2 = Vector512.Load(row + (v + 2 * stride) * Lanes);
            var x3 = Vector512.Load(row + (v + 3 * stride) * Lanes);
            sum0 = Avx512F.FusedMultiplyAdd(x0, x0, sum0);
            sum1 = Avx512F.FusedMultiplyAdd(x1, x1, sum1);
            sum2 = Avx512F.FusedMultiplyAdd(x2, x2, sum2);
            sum3 = Avx512F.FusedMultiplyAdd(x3, x3, sum3);
        }
        for (; v < vectors; v += stride, sampled++)
        {
            var x = Vector512.Load(row + v * Lanes);
            sum0 = Avx512F.FusedMultiplyAdd(x, x, sum0);
        }
        return MathF.Sqrt(Vector512.Sum(sum0 + sum1 + (sum2 + sum3)) / (sampled * Lanes));
    }

    /// <summary>Writes the columns of the values &gt;= <paramref name="low"/> in column order; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CompressAtOrAbove(float* row, int columnCount, float low, int* candidateColumns)
    {
        var lowVector = Vector512.Create(low);
        var columns = Vector512.CreateSequence(0, 1);
        var step = Vector512.Create(Lanes);
        int found = 0, i = 0;
        for (; i <= columnCount - Lanes; i += Lanes)
        {
            var take = Vector512.GreaterThanOrEqual(Vector512.Load(row + i), lowVector);
            // No branch: a vector holds a candidate with a probability far from 0 or 1, so a test would mispredict often.
            // The columns go through vcompressps (bits unchanged) so the float compare's mask feeds it directly.
            Avx512F.Compress(Vector512<float>.Zero, take, columns.AsSingle()).Store((float*)candidateColumns + found);
            found += BitOperations.PopCount(take.ExtractMostSignificantBits());
            columns += step;
        }
        for (; i < columnCount; i++)
        {
            candidateColumns[found] = i;
            found += row[i] >= low ? 1 : 0;
        }
        return found;
    }

    /// <summary>Gathers the candidates' values and pads them with NaN to a whole vector (NaN fails every comparison below).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GatherCandidates(float* row, int* candidateColumns, int count, float* candidateValues)
    {
        // Column 0 for the lanes past the end, so the last gather reads inside the row.
        Vector256<int>.Zero.Store(candidateColumns + count);
        for (int j = 0; j < count; j += 8) Avx2.GatherVector256(row, Vector256.Load(candidateColumns + j), sizeof(float)).Store(candidateValues + j);
        Vector512.Create(float.NaN).Store(candidateValues + count);
    }

    /// <summary>Writes how many candidates are &gt;= each of <c>ends[1..4]</c> to <c>atOrAbove[1..4]</c> (the NaN padding never is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountAtOrAboveEnds(float* candidateValues, int vectorCount, float* ends, int* atOrAbove)
    {
        Vector512<float> end1 = Vector512.Create(ends[1]), end2 = Vector512.Create(ends[2]), end3 = Vector512.Create(ends[3]), end4 = Vector512.Create(ends[4]);
        int count1 = 0, count2 = 0, count3 = 0, count4 = 0;
        for (int v = 0; v < vectorCount; v++)
        {
            var value = Vector512.Load(candidateValues + v * Lanes);
            count1 += BitOperations.PopCount(Vector512.GreaterThanOrEqual(value, end1).ExtractMostSignificantBits());
            count2 += BitOperations.PopCount(Vector512.GreaterThanOrEqual(value, end2).ExtractMostSignificantBits());
            count3 += BitOperations.PopCount(Vector512.GreaterThanOrEqual(value, end3).ExtractMostSignificantBits());
            count4 += BitOperations.PopCount(Vector512.GreaterThanOrEqual(value, end4).ExtractMostSignificantBits());
        }
        (atOrAbove[1], atOrAbove[2], atOrAbove[3], atOrAbove[4]) = (count1, count2, count3, count4);
    }

    /// <summary>
    /// The <paramref name="needed"/>-th largest of the <paramref name="count"/> bracket values (padded with NaN to a
    /// whole vector), in two counting rounds: the first vector's values as 16 pivots, each counted against all values,
    /// give pivots P &lt;= V &lt; Q (the largest with at least <paramref name="needed"/> values at or above it, the
    /// smallest with fewer); then each value in [P, Q) (~2 of 32 on Gaussian rows) is counted against those only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float KthInBracket(float* bracket, int count, int needed, float* narrowed)
    {
        var pivots = Vector512.Load(bracket);
        var atOrAbove = CountAtOrAbove(bracket, count, pivots);
        // NaN pivots (padding when count < 16) count 0 and needed >= 1: never enough, and excluded from Q by the compare.
        var enough = Vector512.GreaterThanOrEqual(atOrAbove, Vector512.Create(needed)).AsSingle();
        float low = Vector512Reductions.HorizontalMax(Vector512.ConditionalSelect(enough, pivots, Vector512.Create(float.NegativeInfinity)));
        if (count <= Lanes) return low;
        var notEnough = Vector512.AndNot(Vector512.Equals(pivots, pivots), enough);
        float high = Vector512Reductions.HorizontalMin(Vector512.ConditionalSelect(notEnough, pivots, Vector512.Create(float.PositiveInfinity)));
        // Values at or above Q: the count of the pivot Q (every lane holding it has the same; 0 when every pivot had enough).
        var atHigh = (Vector512.Equals(pivots, Vector512.Create(high)) & notEnough).AsInt32();
        int atOrAboveHigh = Vector512Reductions.HorizontalMax(Vector512.ConditionalSelect(atHigh, atOrAbove, Vector512<int>.Zero));
        int between = CompressRange(bracket, count, low, high, narrowed);
        int stillNeeded = needed - atOrAboveHigh;
        float kth = low;
        for (int first = 0; first < between; first += Lanes)
        {
            var limits = Vector512.Load(narrowed + first);
            var qualifies = Vector512.GreaterThanOrEqual(CountAtOrAbove(narrowed, between, limits), Vector512.Create(stillNeeded)).AsSingle();
            kth = MathF.Max(kth, Vector512Reductions.HorizontalMax(Vector512.ConditionalSelect(qualifies, limits, Vector512.Create(float.NegativeInfinity))));
        }
        return kth;
    }

    /// <summary>Per lane of <paramref name="limits"/>: how many of the <paramref name="count"/> values are &gt;= it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector512<int> CountAtOrAbove(float* values, int count, Vector512<float> limits)
    {
        // Two accumulators; the compare and masked increment compile to vcmpps + masked vpaddd.
        Vector512<int> even = Vector512<int>.Zero, odd = Vector512<int>.Zero, one = Vector512<int>.One;
        int j = 0;
        for (; j + 1 < count; j += 2)
        {
            even = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Create(values[j]), limits).AsInt32(), even + one, even);
            odd = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Create(values[j + 1]), limits).AsInt32(), odd + one, odd);
        }
        if (j < count) even = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512.Create(values[j]), limits).AsInt32(), even + one, even);
        return even + odd;
    }

    /// <summary>Copies the values in [<paramref name="low"/>, <paramref name="high"/>) (never the NaN padding) and pads them with NaN; returns how many.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CompressRange(float* values, int count, float low, float high, float* destination)
    {
        var lowVector = Vector512.Create(low);
        var highVector = Vector512.Create(high);
        int found = 0;
        for (int first = 0; first < count; first += Lanes)
        {
            var value = Vector512.Load(values + first);
            var take = Vector512.GreaterThanOrEqual(value, lowVector) & Vector512.LessThan(value, highVector);
            Avx512F.Compress(Vector512<float>.Zero, take, value).Store(destination + found);
            found += BitOperations.PopCount(take.ExtractMostSignificantBits());
        }
        Vector512.Create(float.NaN).Store(destination + found);
        return found;
    }

    /// <summary>How many of the <paramref name="count"/> values (padded with NaN to a whole vector) are &gt;= <paramref name="limit"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountAtOrAbove(float* values, int count, float limit)
    {
        var limitVector = Vector512.Create(limit);
        int total = 0;
        for (int first = 0; first < count; first += Lanes)
            total += BitOperations.PopCount(Vector512.GreaterThanOrEqual(Vector512.Load(values + first), limitVector).ExtractMostSignificantBits());
        return total;
    }

    /// <summary>Writes the columns and values of the candidates &gt;= <paramref name="kth"/> (exactly k of them) in column order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ChooseAtOrAbove(int* candidateColumns, float* candidateValues, int vectorCount, float kth, int* chosenColumns, float* chosenValues)
    {
        var kthVector = Vector512.Create(kth);
        int written = 0;
        for (int v = 0; v < vectorCount; v++)
        {
            var value = Vector512.Load(candidateValues + v * Lanes);
            var take = Vector512.GreaterThanOrEqual(value, kthVector);
            Avx512F.Compress(Vector512<float>.Zero, take, Vector512.Load((float*)candidateColumns + v * Lanes)).Store((float*)chosenColumns + written);
            Avx512F.Compress(Vector512<float>.Zero, take, value).Store(chosenValues + written);
            written += BitOperations.PopCount(take.ExtractMostSignificantBits());
        }
    }

    /// <summary>Writes the k chosen columns and values in ascending column order: candidates above <paramref name="kth"/>, then ties by column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Choose(int* candidateColumns, float* candidateValues, int vectorCount, int k, float kth, int* chosenColumns, float* chosenValues)
    {
        var kthVector = Vector512.Create(kth);
        int above = 0;
        for (int v = 0; v < vectorCount; v++)
            above += BitOperations.PopCount(Vector512.GreaterThan(Vector512.Load(candidateValues + v * Lanes), kthVector).ExtractMostSignificantBits());
        int tiesWanted = k - above;
        var laneBit = Vector512.Create(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768);
        int written = 0;
        for (int v = 0; v < vectorCount; v++)
        {
            var value = Vector512.Load(candidateValues + v * Lanes);
            uint take = (uint)Vector512.GreaterThan(value, kthVector).ExtractMostSignificantBits();
            uint ties = (uint)Vector512.Equals(value, kthVector).ExtractMostSignificantBits();
            // No branch: the ties sit in one vector at a varying place. The first tiesWanted of them (0..16 bits) are kept.
            ties = Bmi2.IsSupported ? Bmi2.ParallelBitDeposit((1u << Math.Min(tiesWanted, 16)) - 1, ties) : TopKPortable.LowestBits(ties, tiesWanted);
            take |= ties;
            tiesWanted -= BitOperations.PopCount(ties);
            var takeMask = Vector512.Equals(Vector512.Create((int)take) & laneBit, laneBit);
            Avx512F.Compress(Vector512<int>.Zero, takeMask, Vector512.Load(candidateColumns + v * Lanes)).Store(chosenColumns + written);
            Avx512F.Compress(Vector512<float>.Zero, takeMask.AsSingle(), value).Store(chosenValues + written);
            written += BitOperations.PopCount(take);
        }
    }
}

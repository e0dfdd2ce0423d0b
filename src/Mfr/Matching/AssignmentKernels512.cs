using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Matching;

/// <summary>
/// AVX-512 versions of the assignment solver's inner loops; same contracts and bit-identical
/// results as <see cref="AssignmentKernelsReference"/>, which they fall back to for short rows.
/// The registry (<see cref="Numerics.KernelRegistry.Assignment"/>) runs the Vector256 versions
/// (<see cref="AssignmentKernels256"/>) where 512-bit vectors are not accelerated. Each loop handles 8 columns per step: 8 floats widened to 8
/// doubles (costs stay float to halve the memory traffic of the [rows, columns] matrix; duals
/// and distances are double so the optimum is exact for the float input).
/// </summary>
internal static class AssignmentKernels512
{
    private const int Width = 8;

    /// <summary>See <see cref="AssignmentKernelsReference.RelaxRowAndFindLowest"/>.</summary>
    public static int RelaxRowAndFindLowest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row,
        Span<double> distances, Span<long> pathRows, ReadOnlySpan<int> rowForColumn, out double lowest)
    {
        if (costRow.Length < Width)
            return AssignmentKernelsReference.RelaxRowAndFindLowest(costRow, sign, maskedColumnDuals, offset, row, distances, pathRows, rowForColumn, out lowest);

        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(maskedColumnDuals[..length]);
        ref double distance = ref MemoryMarshal.GetReference(distances[..length]);
        ref long path = ref MemoryMarshal.GetReference(pathRows[..length]);
        var signVector = Vector512.Create(sign);
        var offsetVector = Vector512.Create(offset);
        var rowVector = Vector512.Create(row);
        // Per lane: smallest distance, its (first) column, and whether a later column tied with it.
        // The search for the minimum rides along the relaxation so the distances are read once.
        var laneLowest = Vector512.Create(double.PositiveInfinity);
        var laneColumn = Vector512<long>.Zero;
        var laneTied = Vector512<long>.Zero;
        var columns = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        var step = Vector512.Create((long)Width);
        int j = 0;
        for (; j <= length - Width; j += Width)
        {
            var updated = RelaxStep(ref cost, ref duals, ref distance, ref path, (nuint)j, signVector, offsetVector, rowVector);
            Track(updated, columns, ref laneLowest, ref laneColumn, ref laneTied);
            columns += step;
        }
        if (j < length)
        {
            // Masked last vector: redo the final 8 columns. Relaxing a column twice changes nothing
            // (same value, strict comparison); lanes already tracked are hidden from the minimum.
            int start = length - Width;
            var updated = RelaxStep(ref cost, ref duals, ref distance, ref path, (nuint)start, signVector, offsetVector, rowVector);
            var lanes = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
            var fresh = Vector512.GreaterThanOrEqual(lanes, Vector512.Create((long)(j - start)));
            var visible = Vector512.ConditionalSelect(fresh.AsDouble(), updated, Vector512.Create(double.PositiveInfinity));
            Track(visible, lanes + Vector512.Create((long)start), ref laneLowest, ref laneColumn, ref laneTied);
        }

        lowest = HorizontalMin(laneLowest);
        ulong atLowest = Vector512.Equals(laneLowest, Vector512.Create(lowest)).ExtractMostSignificantBits();
        ulong tied = laneTied.ExtractMostSignificantBits() & atLowest;
        if (BitOperations.PopCount(atLowest) == 1 && tied == 0)
            return (int)laneColumn.GetElement(BitOperations.TrailingZeroCount(atLowest));
        // Several columns share the minimum: apply the full tie rule (rare on real-valued costs).
        return FindLowest(distances[..length], lowest, rowForColumn);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> RelaxStep(ref float cost, ref double duals, ref double distance, ref long path, nuint offsetIndex,
        Vector512<double> signVector, Vector512<double> offsetVector, Vector512<long> rowVector)
    {
        var costs = Vector512.WidenLower(Vector256.LoadUnsafe(ref cost, offsetIndex).ToVector512Unsafe());
        var reduced = offsetVector + (signVector * costs - Vector512.LoadUnsafe(ref duals, offsetIndex));
        var current = Vector512.LoadUnsafe(ref distance, offsetIndex);
        var improved = Vector512.LessThan(reduced, current);
        if (improved == Vector512<double>.Zero) return current;
        var updated = Vector512.ConditionalSelect(improved, reduced, current);
        updated.StoreUnsafe(ref distance, offsetIndex);
        Vector512.ConditionalSelect(improved.AsInt64(), rowVector, Vector512.LoadUnsafe(ref path, offsetIndex)).StoreUnsafe(ref path, offsetIndex);
        return updated;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Track(Vector512<double> values, Vector512<long> columns, ref Vector512<double> laneLowest, ref Vector512<long> laneColumn, ref Vector512<long> laneTied)
    {
        var below = Vector512.LessThan(values, laneLowest).AsInt64();
        var equal = Vector512.Equals(values, laneLowest).AsInt64();
        laneTied = Vector512.AndNot(laneTied | equal, below);
        laneLowest = Vector512.ConditionalSelect(below.AsDouble(), values, laneLowest);
        laneColumn = Vector512.ConditionalSelect(below, columns, laneColumn);
    }

    /// <summary>See <see cref="AssignmentKernelsReference.AllFinite"/>.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        if (values.Length < 2 * Width) return AssignmentKernelsReference.AllFinite(values);
        // x - x is 0 for finite x and NaN for NaN or infinities; NaN survives the sum.
        ref float value = ref MemoryMarshal.GetReference(values);
        var sum = Vector512<float>.Zero;
        int j = 0;
        for (; j <= values.Length - 2 * Width; j += 2 * Width)
        {
            var block = Vector512.LoadUnsafe(ref value, (nuint)j);
            sum += block - block;
        }
        if (j < values.Length)
        {
            var block = Vector512.LoadUnsafe(ref value, (nuint)(values.Length - 2 * Width));
            sum += block - block;
        }
        return sum == Vector512<float>.Zero;
    }

    /// <summary>See <see cref="AssignmentKernelsReference.FindLowest"/>.</summary>
    public static int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn)
    {
        if (distances.Length < Width) return AssignmentKernelsReference.FindLowest(distances, lowest, rowForColumn);

        int length = distances.Length;
        ref double distance = ref MemoryMarshal.GetReference(distances);
        var target = Vector512.Create(lowest);
        int first = -1;
        int j = 0;
        for (; j <= length - Width; j += Width)
        {
            ulong hits = Vector512.Equals(Vector512.LoadUnsafe(ref distance, (nuint)j), target).ExtractMostSignificantBits();
            while (hits != 0)
            {
                int column = j + BitOperations.TrailingZeroCount(hits);
                if (rowForColumn[column] < 0) return column;
                if (first < 0) first = column;
                hits &= hits - 1;
            }
        }
        for (; j < length; j++)
        {
            if (distances[j] != lowest) continue;
            if (rowForColumn[j] < 0) return j;
            if (first < 0) first = j;
        }
        return first;
    }

    /// <summary>See <see cref="AssignmentKernelsReference.Smallest"/>.</summary>
    public static double Smallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals)
    {
        if (costRow.Length < Width || !IsUnitSign(sign)) return AssignmentKernelsReference.Smallest(costRow, sign, columnDuals);

        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(columnDuals[..length]);
        var signVector = Vector512.Create(sign);
        var lowest = Vector512.Create(double.PositiveInfinity);
        // Four running minima, so the loop waits on vminpd's latency once per 32 columns rather than per 8.
        var lowest1 = lowest;
        var lowest2 = lowest;
        var lowest3 = lowest;
        int j = 0;
        for (; j <= length - 4 * Width; j += 4 * Width)
        {
            lowest = Vector512.MinNative(lowest, Reduced(ref cost, ref duals, (nuint)j, signVector));
            lowest1 = Vector512.MinNative(lowest1, Reduced(ref cost, ref duals, (nuint)(j + Width), signVector));
            lowest2 = Vector512.MinNative(lowest2, Reduced(ref cost, ref duals, (nuint)(j + 2 * Width), signVector));
            lowest3 = Vector512.MinNative(lowest3, Reduced(ref cost, ref duals, (nuint)(j + 3 * Width), signVector));
        }
        lowest = Vector512.MinNative(Vector512.MinNative(lowest, lowest1), Vector512.MinNative(lowest2, lowest3));
        for (; j <= length - Width; j += Width)
        {
            lowest = Vector512.MinNative(lowest, Reduced(ref cost, ref duals, (nuint)j, signVector));
        }
        if (j < length) lowest = Vector512.MinNative(lowest, Reduced(ref cost, ref duals, (nuint)(length - Width), signVector));
        return HorizontalMin(lowest);
    }

    /// <summary>See <see cref="AssignmentKernelsReference.TwoSmallest"/>.</summary>
    public static TwoSmallest TwoSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals)
    {
        if (costRow.Length < 2 * Width || !IsUnitSign(sign)) return AssignmentKernelsReference.TwoSmallest(costRow, sign, columnDuals);

        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(columnDuals[..length]);
        var signVector = Vector512.Create(sign);
        // Per lane: best and second-best (value, column). Columns rise within a lane, so strict
        // comparisons keep the lexicographic (value, column) order of the reference.
        var first = Vector512.Create(double.PositiveInfinity);
        var second = first;
        var firstColumn = Vector512.Create(-1L);
        var secondColumn = firstColumn;
        var columns = Vector512.Create(0L, 1, 2, 3, 4, 5, 6, 7);
        var step = Vector512.Create((long)Width);
        int j = 0;
        for (; j <= length - Width; j += Width)
        {
            var value = Reduced(ref cost, ref duals, (nuint)j, signVector);
            var belowFirst = Vector512.LessThan(value, first);
            var belowSecond = Vector512.LessThan(value, second);
            second = Vector512.ConditionalSelect(belowFirst, first, Vector512.ConditionalSelect(belowSecond, value, second));
            secondColumn = Vector512.ConditionalSelect(belowFirst.AsInt64(), firstColumn, Vector512.ConditionalSelect(belowSecond.AsInt64(), columns, secondColumn));
            first = Vector512.ConditionalSelect(belowFirst, value, first);
            firstColumn = Vector512.ConditionalSelect(belowFirst.AsInt64(), columns, firstColumn);
            columns += step;
        }
        var result = new TwoSmallest(double.PositiveInfinity, -1, double.PositiveInfinity, -1);
        for (int lane = 0; lane < Width; lane++)
        {
            result = Insert(result, first.GetElement(lane), (int)firstColumn.GetElement(lane));
            result = Insert(result, second.GetElement(lane), (int)secondColumn.GetElement(lane));
        }
        for (; j < length; j++) result = Insert(result, sign * Unsafe.Add(ref cost, j) - columnDuals[j], j);
        return result;
    }

    /// <summary>See <see cref="AssignmentKernelsReference.UpdateColumnMinima"/>.</summary>
    public static void UpdateColumnMinima(ReadOnlySpan<float> costRow, double sign, long row, Span<double> minima, Span<long> argminRows)
    {
        if (costRow.Length < Width)
        {
            AssignmentKernelsReference.UpdateColumnMinima(costRow, sign, row, minima, argminRows);
            return;
        }
        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double minimum = ref MemoryMarshal.GetReference(minima[..length]);
        ref long argmin = ref MemoryMarshal.GetReference(argminRows[..length]);
        var signVector = Vector512.Create(sign);
        var rowVector = Vector512.Create(row);
        int j = 0;
        for (; j <= length - Width; j += Width)
        {
            MinimaStep(ref cost, ref minimum, ref argmin, (nuint)j, signVector, rowVector);
        }
        if (j < length) MinimaStep(ref cost, ref minimum, ref argmin, (nuint)(length - Width), signVector, rowVector);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MinimaStep(ref float cost, ref double minimum, ref long argmin, nuint offsetIndex, Vector512<double> signVector, Vector512<long> rowVector)
    {
        var value = signVector * Vector512.WidenLower(Vector256.LoadUnsafe(ref cost, offsetIndex).ToVector512Unsafe());
        var current = Vector512.LoadUnsafe(ref minimum, offsetIndex);
        var below = Vector512.LessThan(value, current);
        Vector512.ConditionalSelect(below, value, current).StoreUnsafe(ref minimum, offsetIndex);
        Vector512.ConditionalSelect(below.AsInt64(), rowVector, Vector512.LoadUnsafe(ref argmin, offsetIndex)).StoreUnsafe(ref argmin, offsetIndex);
    }

    /// <summary>One bit per value of the eight vectors below (or, <paramref name="orEqual"/>, at or below) the candidate.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Below(Vector512<double> v0, Vector512<double> v1, Vector512<double> v2, Vector512<double> v3,
        Vector512<double> v4, Vector512<double> v5, Vector512<double> v6, Vector512<double> v7, Vector512<double> candidate, bool orEqual)
        => Bits(v0, candidate, orEqual) | Bits(v1, candidate, orEqual) << 8 | Bits(v2, candidate, orEqual) << 16 | Bits(v3, candidate, orEqual) << 24
            | Bits(v4, candidate, orEqual) << 32 | Bits(v5, candidate, orEqual) << 40 | Bits(v6, candidate, orEqual) << 48 | Bits(v7, candidate, orEqual) << 56;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bits(Vector512<double> values, Vector512<double> candidate, bool orEqual)
        => (orEqual ? Vector512.LessThanOrEqual(values, candidate) : Vector512.LessThan(values, candidate)).ExtractMostSignificantBits();

    /// <summary>
    /// The reduced values <c>sign * c[j] - v[j]</c> of 8 columns as one vfmsub: for a sign of +1 or -1 the product is
    /// exact, so the single rounding gives the reference's bits (zeros' signs included) with one instruction instead of two.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Reduced(ref float cost, ref double duals, nuint offsetIndex, Vector512<double> signVector)
        => Avx512F.FusedMultiplySubtract(signVector, Vector512.WidenLower(Vector256.LoadUnsafe(ref cost, offsetIndex).ToVector512Unsafe()), Vector512.LoadUnsafe(ref duals, offsetIndex));

    /// <summary>Whether <see cref="Reduced"/> rounds as the reference: a sign of exactly +1 or -1 (the objective's).</summary>
    private static bool IsUnitSign(double sign) => sign == 1 || sign == -1;

    private static TwoSmallest Insert(TwoSmallest best, double value, int column)
    {
        if (column < 0) return best;
        if (value < best.First || (value == best.First && column < best.FirstColumn))
            return new TwoSmallest(value, column, best.First, best.FirstColumn);
        if (value < best.Second || (value == best.Second && (best.SecondColumn < 0 || column < best.SecondColumn)))
            return best with { Second = value, SecondColumn = column };
        return best;
    }

    private static double HorizontalMin(Vector512<double> values)
    {
        var half = Vector256.MinNative(values.GetLower(), values.GetUpper());
        double lowest = Math.Min(half.GetElement(0), half.GetElement(1));
        return Math.Min(lowest, Math.Min(half.GetElement(2), half.GetElement(3)));
    }


    /// <summary>
    /// See <see cref="AssignmentKernelsReference.SelectSmallest"/>. Two passes over the row: the first keeps 64 running
    /// lane minima of the reduced values, each over its own columns, so the list-length-th smallest of them is a value
    /// with at least that many reduced values at or below it, hence at least the last listed value; the second passes
    /// only the values at or below it (8 compared at a time, a few more than the list on a dense row) to the
    /// reference's insertion, in column order, so the list is the reference's. Lists longer than 64 and short rows
    /// take the reference.
    /// The lane minima are vminpd (MinNative; the IEEE minimum of <c>Min</c> compiles to vrangepd and two vfixupimmpd),
    /// as a +0 kept for a -0 moves no threshold compared with &lt;=; the listed values come from the second pass, exact.
    /// </summary>
    public static void SelectSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, Span<int> columns, Span<double> values)
    {
        const int Lanes = 8, Block = 8 * Lanes;
        int kept = columns.Length;
        int length = costRow.Length;
        if (kept > Block || length < Block || !IsUnitSign(sign))
        {
            AssignmentKernelsReference.SelectSmallest(costRow, sign, columnDuals, columns, values);
            return;
        }
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(columnDuals[..length]);
        var signVector = Vector512.Create(sign);
        var infinity = Vector512.Create(double.PositiveInfinity);
        var lane0 = infinity;
        var lane1 = infinity;
        var lane2 = infinity;
        var lane3 = infinity;
        var lane4 = infinity;
        var lane5 = infinity;
        var lane6 = infinity;
        var lane7 = infinity;
        int next = 0;
        for (; next <= length - Block; next += Block)
        {
            lane0 = Vector512.MinNative(lane0, Reduced(ref cost, ref duals, (nuint)(next + 0), signVector));
            lane1 = Vector512.MinNative(lane1, Reduced(ref cost, ref duals, (nuint)(next + 8), signVector));
            lane2 = Vector512.MinNative(lane2, Reduced(ref cost, ref duals, (nuint)(next + 16), signVector));
            lane3 = Vector512.MinNative(lane3, Reduced(ref cost, ref duals, (nuint)(next + 24), signVector));
            lane4 = Vector512.MinNative(lane4, Reduced(ref cost, ref duals, (nuint)(next + 32), signVector));
            lane5 = Vector512.MinNative(lane5, Reduced(ref cost, ref duals, (nuint)(next + 40), signVector));
            lane6 = Vector512.MinNative(lane6, Reduced(ref cost, ref duals, (nuint)(next + 48), signVector));
            lane7 = Vector512.MinNative(lane7, Reduced(ref cost, ref duals, (nuint)(next + 56), signVector));
        }
        Span<double> laneMinima = stackalloc double[Block];
        ref double minima = ref MemoryMarshal.GetReference(laneMinima);
        lane0.StoreUnsafe(ref minima, 0);
        lane1.StoreUnsafe(ref minima, 8);
        lane2.StoreUnsafe(ref minima, 16);
        lane3.StoreUnsafe(ref minima, 24);
        lane4.StoreUnsafe(ref minima, 32);
        lane5.StoreUnsafe(ref minima, 40);
        lane6.StoreUnsafe(ref minima, 48);
        lane7.StoreUnsafe(ref minima, 56);
        double threshold = KthSmallestOfBlock(laneMinima, kept);

        var thresholdVector = Vector512.Create(threshold);
        int filled = 0;
        for (next = 0; next <= length - Lanes; next += Lanes)
        {
            var reduced = Reduced(ref cost, ref duals, (nuint)next, signVector);
            uint atOrBelow = (uint)Vector512.LessThanOrEqual(reduced, thresholdVector).ExtractMostSignificantBits();
            while (atOrBelow != 0)
            {
                int lane = BitOperations.TrailingZeroCount(atOrBelow);
                atOrBelow &= atOrBelow - 1;
                AssignmentKernelsReference.Offer(columns, values, ref filled, next + lane, reduced.GetElement(lane));
            }
        }
        AssignmentKernelsReference.OfferTail(costRow, sign, columnDuals, next, threshold, columns, values, ref filled);
    }

    /// <summary>
    /// <see cref="AssignmentKernelsReference.KthSmallest"/> of 64 values (the lane minima of <see cref="SelectSmallest"/>),
    /// without reordering them: the value with fewer than <paramref name="rank"/> values below it and at least that many at
    /// or below it, found by counting with 8 comparisons of 8 lanes per candidate. The insertion sort's data-dependent
    /// branches cost more than the selection's whole second pass at the GPT-2 shape (issue 16 item 3). Values must not be NaN.
    /// </summary>
    internal static double KthSmallestOfBlock(ReadOnlySpan<double> values, int rank)
    {
        const int Block = 64;
        if (values.Length != Block || rank < 1 || rank > Block) throw new ArgumentOutOfRangeException(nameof(rank), "Needs 64 values and a rank in 1..64.");
        ref double start = ref MemoryMarshal.GetReference(values);
        var v0 = Vector512.LoadUnsafe(ref start, 0);
        var v1 = Vector512.LoadUnsafe(ref start, 8);
        var v2 = Vector512.LoadUnsafe(ref start, 16);
        var v3 = Vector512.LoadUnsafe(ref start, 24);
        var v4 = Vector512.LoadUnsafe(ref start, 32);
        var v5 = Vector512.LoadUnsafe(ref start, 40);
        var v6 = Vector512.LoadUnsafe(ref start, 48);
        var v7 = Vector512.LoadUnsafe(ref start, 56);
        for (int i = 0; i < Block; i++)
        {
            double value = Unsafe.Add(ref start, i);
            var candidate = Vector512.Create(value);
            if (BitOperations.PopCount(Below(v0, v1, v2, v3, v4, v5, v6, v7, candidate, orEqual: false)) >= rank) continue;
            if (BitOperations.PopCount(Below(v0, v1, v2, v3, v4, v5, v6, v7, candidate, orEqual: true)) >= rank) return value;
        }
        throw new ArgumentException("The values must not be NaN.", nameof(values));
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Matching;

/// <summary>
/// Vector256 (AVX2) versions of the assignment solver's inner loops, the portable variant of
/// <see cref="Numerics.KernelRegistry.Assignment"/> (run where 512-bit vectors are not accelerated); same contracts and
/// bit-identical results as <see cref="AssignmentKernelsReference"/> (signs of zero included), which
/// they fall back to for short rows or without 256-bit vectors. Each step handles 8 columns: 8
/// floats widened to two vectors of 4 doubles, kept as 8 lanes (the lanes of the AVX-512 version),
/// which also gives two independent dependency chains. Inputs are free of NaN (costs are checked
/// finite; settled columns carry infinities).
/// </summary>
internal static class AssignmentKernels256
{
    /// <summary>Columns per step: 8 floats, two vectors of 4 doubles.</summary>
    private const int Step = 8;

    private const int Half = 4;

    /// <summary>See <see cref="AssignmentKernelsReference.RelaxRowAndFindLowest"/>.</summary>
    public static int RelaxRowAndFindLowest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row,
        Span<double> distances, Span<long> pathRows, ReadOnlySpan<int> rowForColumn, out double lowest)
    {
        if (!Vector256.IsHardwareAccelerated || costRow.Length < Step)
            return AssignmentKernelsReference.RelaxRowAndFindLowest(costRow, sign, maskedColumnDuals, offset, row, distances, pathRows, rowForColumn, out lowest);

        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(maskedColumnDuals[..length]);
        ref double distance = ref MemoryMarshal.GetReference(distances[..length]);
        ref long path = ref MemoryMarshal.GetReference(pathRows[..length]);
        var relax = new Relaxation(sign, offset, row);
        // Per lane (columns 0-3 and 4-7 of each step): smallest distance, its (first) column, and
        // whether a later column tied with it. The minimum rides along the relaxation so the
        // distances are read once.
        var low = new LaneMinimum();
        var high = new LaneMinimum();
        var lowColumns = Vector256.Create(0L, 1, 2, 3);
        var highColumns = Vector256.Create(4L, 5, 6, 7);
        var step = Vector256.Create((long)Step);
        int j = 0;
        for (; j <= length - Step; j += Step)
        {
            var costs = Vector256.LoadUnsafe(ref cost, (nuint)j);
            low.Track(relax.Step(Vector256.WidenLower(costs), ref duals, ref distance, ref path, (nuint)j), lowColumns);
            high.Track(relax.Step(Vector256.WidenUpper(costs), ref duals, ref distance, ref path, (nuint)(j + Half)), highColumns);
            lowColumns += step;
            highColumns += step;
        }
        if (j < length)
        {
            // Masked last step: redo the final 8 columns. Relaxing a column twice changes nothing
            // (same value, strict comparison); lanes already tracked are hidden from the minimum.
            int start = length - Step;
            var costs = Vector256.LoadUnsafe(ref cost, (nuint)start);
            var lowUpdated = relax.Step(Vector256.WidenLower(costs), ref duals, ref distance, ref path, (nuint)start);
            var highUpdated = relax.Step(Vector256.WidenUpper(costs), ref duals, ref distance, ref path, (nuint)(start + Half));
            var lowLanes = Vector256.Create(0L, 1, 2, 3);
            var highLanes = Vector256.Create(4L, 5, 6, 7);
            var tracked = Vector256.Create((long)(j - start));
            var infinity = Vector256.Create(double.PositiveInfinity);
            low.Track(Select(Vector256.GreaterThanOrEqual(lowLanes, tracked).AsDouble(), lowUpdated, infinity), lowLanes + Vector256.Create((long)start));
            high.Track(Select(Vector256.GreaterThanOrEqual(highLanes, tracked).AsDouble(), highUpdated, infinity), highLanes + Vector256.Create((long)start));
        }

        lowest = HorizontalMin(Vector256.MinNative(low.Value, high.Value));
        var target = Vector256.Create(lowest);
        uint atLowest = Vector256.Equals(low.Value, target).ExtractMostSignificantBits() | (Vector256.Equals(high.Value, target).ExtractMostSignificantBits() << Half);
        uint tied = (low.Tied.ExtractMostSignificantBits() | (high.Tied.ExtractMostSignificantBits() << Half)) & atLowest;
        int column;
        if (BitOperations.PopCount(atLowest) == 1 && tied == 0)
        {
            int lane = BitOperations.TrailingZeroCount(atLowest);
            column = (int)(lane < Half ? low.Column.GetElement(lane) : high.Column.GetElement(lane - Half));
        }
        else
        {
            // Several columns share the minimum: apply the full tie rule (rare on real-valued costs).
            column = FindLowest(distances[..length], lowest, rowForColumn);
        }
        // The reference's Math.Min returns -0 when a -0 ties with +0; the lanes kept whichever came first.
        if (lowest == 0) lowest = HasNegativeZero(distances[..length]) ? -0.0 : 0.0;
        return column;
    }

    /// <summary>See <see cref="AssignmentKernelsReference.AllFinite"/>.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        if (!Vector256.IsHardwareAccelerated || values.Length < 2 * Step)
            return AssignmentKernelsReference.AllFinite(values);
        // x - x is 0 for finite x and NaN for NaN or infinities; NaN survives the sums.
        ref float value = ref MemoryMarshal.GetReference(values);
        Vector256<float> even = Vector256<float>.Zero, odd = Vector256<float>.Zero;
        int j = 0;
        for (; j <= values.Length - 2 * Step; j += 2 * Step)
        {
            var first = Vector256.LoadUnsafe(ref value, (nuint)j);
            var second = Vector256.LoadUnsafe(ref value, (nuint)(j + Step));
            even += first - first;
            odd += second - second;
        }
        if (j < values.Length)
        {
            var first = Vector256.LoadUnsafe(ref value, (nuint)(values.Length - 2 * Step));
            var second = Vector256.LoadUnsafe(ref value, (nuint)(values.Length - Step));
            even += first - first;
            odd += second - second;
        }
        return even + odd == Vector256<float>.Zero;
    }

    /// <summary>See <see cref="AssignmentKernelsReference.FindLowest"/>.</summary>
    public static int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn)
    {
        if (!Vector256.IsHardwareAccelerated || distances.Length < Step)
            return AssignmentKernelsReference.FindLowest(distances, lowest, rowForColumn);

        int length = distances.Length;
        ref double distance = ref MemoryMarshal.GetReference(distances);
        var target = Vector256.Create(lowest);
        int first = -1;
        int j = 0;
        for (; j <= length - Step; j += Step)
        {
            uint hits = Vector256.Equals(Vector256.LoadUnsafe(ref distance, (nuint)j), target).ExtractMostSignificantBits()
                | (Vector256.Equals(Vector256.LoadUnsafe(ref distance, (nuint)(j + Half)), target).ExtractMostSignificantBits() << Half);
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
        if (!Vector256.IsHardwareAccelerated || costRow.Length < Step)
            return AssignmentKernelsReference.Smallest(costRow, sign, columnDuals);

        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(columnDuals[..length]);
        var signVector = Vector256.Create(sign);
        var low = Vector256.Create(double.PositiveInfinity);
        var high = low;
        int j = 0;
        for (; j <= length - Step; j += Step)
        {
            var costs = Vector256.LoadUnsafe(ref cost, (nuint)j);
            low = Vector256.MinNative(low, Reduced(Vector256.WidenLower(costs), ref duals, (nuint)j, signVector));
            high = Vector256.MinNative(high, Reduced(Vector256.WidenUpper(costs), ref duals, (nuint)(j + Half), signVector));
        }
        if (j < length)
        {
            // Overlapping last step: a minimum does not mind seeing a column twice.
            int start = length - Step;
            var costs = Vector256.LoadUnsafe(ref cost, (nuint)start);
            low = Vector256.MinNative(low, Reduced(Vector256.WidenLower(costs), ref duals, (nuint)start, signVector));
            high = Vector256.MinNative(high, Reduced(Vector256.WidenUpper(costs), ref duals, (nuint)(start + Half), signVector));
        }
        double lowest = HorizontalMin(Vector256.MinNative(low, high));
        // vminpd keeps either zero of a -0/+0 tie; Math.Min (the reference) returns -0.
        if (lowest == 0) lowest = HasNegativeZero(costRow, sign, columnDuals) ? -0.0 : 0.0;
        return lowest;
    }

    /// <summary>See <see cref="AssignmentKernelsReference.TwoSmallest"/>.</summary>
    public static TwoSmallest TwoSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals)
    {
        if (!Vector256.IsHardwareAccelerated || costRow.Length < 2 * Step)
            return AssignmentKernelsReference.TwoSmallest(costRow, sign, columnDuals);

        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(columnDuals[..length]);
        var signVector = Vector256.Create(sign);
        // Per lane: best and second-best (value, column). Columns rise within a lane, so strict
        // comparisons keep the lexicographic (value, column) order of the reference.
        var low = new LaneTwoSmallest();
        var high = new LaneTwoSmallest();
        var lowColumns = Vector256.Create(0L, 1, 2, 3);
        var highColumns = Vector256.Create(4L, 5, 6, 7);
        var step = Vector256.Create((long)Step);
        int j = 0;
        for (; j <= length - Step; j += Step)
        {
            var costs = Vector256.LoadUnsafe(ref cost, (nuint)j);
            low.Insert(Reduced(Vector256.WidenLower(costs), ref duals, (nuint)j, signVector), lowColumns);
            high.Insert(Reduced(Vector256.WidenUpper(costs), ref duals, (nuint)(j + Half), signVector), highColumns);
            lowColumns += step;
            highColumns += step;
        }
        var result = new TwoSmallest(double.PositiveInfinity, -1, double.PositiveInfinity, -1);
        result = low.MergeInto(result);
        result = high.MergeInto(result);
        for (; j < length; j++) result = Insert(result, sign * Unsafe.Add(ref cost, j) - columnDuals[j], j);
        return result;
    }

    /// <summary>See <see cref="AssignmentKernelsReference.UpdateColumnMinima"/>.</summary>
    public static void UpdateColumnMinima(ReadOnlySpan<float> costRow, double sign, long row, Span<double> minima, Span<long> argminRows)
    {
        if (!Vector256.IsHardwareAccelerated || costRow.Length < Step)
        {
            AssignmentKernelsReference.UpdateColumnMinima(costRow, sign, row, minima, argminRows);
            return;
        }
        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double minimum = ref MemoryMarshal.GetReference(minima[..length]);
        ref long argmin = ref MemoryMarshal.GetReference(argminRows[..length]);
        var signVector = Vector256.Create(sign);
        var rowVector = Vector256.Create(row);
        int j = 0;
        for (; j <= length - Step; j += Step)
        {
            var costs = Vector256.LoadUnsafe(ref cost, (nuint)j);
            MinimaStep(signVector * Vector256.WidenLower(costs), ref minimum, ref argmin, (nuint)j, rowVector);
            MinimaStep(signVector * Vector256.WidenUpper(costs), ref minimum, ref argmin, (nuint)(j + Half), rowVector);
        }
        if (j < length)
        {
            // Overlapping last step: a column seen twice compares equal the second time, so stays.
            int start = length - Step;
            var costs = Vector256.LoadUnsafe(ref cost, (nuint)start);
            MinimaStep(signVector * Vector256.WidenLower(costs), ref minimum, ref argmin, (nuint)start, rowVector);
            MinimaStep(signVector * Vector256.WidenUpper(costs), ref minimum, ref argmin, (nuint)(start + Half), rowVector);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MinimaStep(Vector256<double> value, ref double minimum, ref long argmin, nuint index, Vector256<long> rowVector)
    {
        var current = Vector256.LoadUnsafe(ref minimum, index);
        var below = Vector256.LessThan(value, current);
        Select(below, value, current).StoreUnsafe(ref minimum, index);
        Select(below.AsInt64(), rowVector, Vector256.LoadUnsafe(ref argmin, index)).StoreUnsafe(ref argmin, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Reduced(Vector256<double> costs, ref double duals, nuint index, Vector256<double> signVector)
        => signVector * costs - Vector256.LoadUnsafe(ref duals, index);

    /// <summary>Whether a distance is -0 (bitwise: -0 == +0 as doubles).</summary>
    private static bool HasNegativeZero(ReadOnlySpan<double> values)
    {
        foreach (double value in values)
            if (BitConverter.DoubleToInt64Bits(value) == long.MinValue) return true;
        return false;
    }

    /// <summary>Whether a reduced value <c>sign*c[j] - v[j]</c> of the row is -0.</summary>
    private static bool HasNegativeZero(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals)
    {
        for (int j = 0; j < costRow.Length; j++)
            if (BitConverter.DoubleToInt64Bits(sign * costRow[j] - columnDuals[j]) == long.MinValue) return true;
        return false;
    }

    /// <summary>
    /// ConditionalSelect for compare masks (all bits of a lane set or clear) as one vblendvpd: the
    /// JIT emits and/andnot/or for ConditionalSelect when it cannot see that the mask is one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Select(Vector256<double> mask, Vector256<double> whenTrue, Vector256<double> whenFalse)
        => Avx.IsSupported ? Avx.BlendVariable(whenFalse, whenTrue, mask) : Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    /// <inheritdoc cref="Select(Vector256{double}, Vector256{double}, Vector256{double})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Select(Vector256<long> mask, Vector256<long> whenTrue, Vector256<long> whenFalse)
        => Select(mask.AsDouble(), whenTrue.AsDouble(), whenFalse.AsDouble()).AsInt64();

    private static TwoSmallest Insert(TwoSmallest best, double value, int column)
    {
        if (column < 0) return best;
        if (value < best.First || (value == best.First && column < best.FirstColumn))
            return new TwoSmallest(value, column, best.First, best.FirstColumn);
        if (value < best.Second || (value == best.Second && (best.SecondColumn < 0 || column < best.SecondColumn)))
            return best with { Second = value, SecondColumn = column };
        return best;
    }

    private static double HorizontalMin(Vector256<double> values)
    {
        var half = Vector128.MinNative(values.GetLower(), values.GetUpper());
        return Math.Min(half.GetElement(0), half.GetElement(1));
    }

    /// <summary>One relaxation step's constants: <c>offset + (sign*c[j] - v[j])</c> improves distances, recording <c>row</c>.</summary>
    private readonly struct Relaxation(double sign, double offset, long row)
    {
        private readonly Vector256<double> sign = Vector256.Create(sign);
        private readonly Vector256<double> offset = Vector256.Create(offset);
        private readonly Vector256<long> row = Vector256.Create(row);

        /// <summary>Relaxes 4 columns from <paramref name="index"/>; returns their distances afterwards.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector256<double> Step(Vector256<double> costs, ref double duals, ref double distance, ref long path, nuint index)
        {
            var reduced = offset + (sign * costs - Vector256.LoadUnsafe(ref duals, index));
            var current = Vector256.LoadUnsafe(ref distance, index);
            var improved = Vector256.LessThan(reduced, current);
            if (improved.ExtractMostSignificantBits() == 0) return current;
            var updated = Select(improved, reduced, current);
            updated.StoreUnsafe(ref distance, index);
            Select(improved.AsInt64(), row, Vector256.LoadUnsafe(ref path, index)).StoreUnsafe(ref path, index);
            return updated;
        }
    }

    /// <summary>Per lane: the smallest value seen, its first column, and whether a later column tied with it.</summary>
    private struct LaneMinimum()
    {
        public Vector256<double> Value = Vector256.Create(double.PositiveInfinity);
        public Vector256<long> Column = Vector256<long>.Zero;
        public Vector256<long> Tied = Vector256<long>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Track(Vector256<double> values, Vector256<long> columns)
        {
            var below = Vector256.LessThan(values, Value);
            var equal = Vector256.Equals(values, Value).AsInt64();
            Tied = Vector256.AndNot(Tied | equal, below.AsInt64());
            Value = Select(below, values, Value);
            Column = Select(below.AsInt64(), columns, Column);
        }
    }

    /// <summary>Per lane: the best and second-best (value, column) seen, columns rising.</summary>
    private struct LaneTwoSmallest()
    {
        private Vector256<double> first = Vector256.Create(double.PositiveInfinity);
        private Vector256<double> second = Vector256.Create(double.PositiveInfinity);
        private Vector256<long> firstColumn = Vector256.Create(-1L);
        private Vector256<long> secondColumn = Vector256.Create(-1L);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Insert(Vector256<double> value, Vector256<long> columns)
        {
            var belowFirst = Vector256.LessThan(value, first);
            var belowSecond = Vector256.LessThan(value, second);
            second = Select(belowFirst, first, Select(belowSecond, value, second));
            secondColumn = Select(belowFirst.AsInt64(), firstColumn, Select(belowSecond.AsInt64(), columns, secondColumn));
            first = Select(belowFirst, value, first);
            firstColumn = Select(belowFirst.AsInt64(), columns, firstColumn);
        }

        public readonly TwoSmallest MergeInto(TwoSmallest result)
        {
            for (int lane = 0; lane < Half; lane++)
            {
                result = AssignmentKernels256.Insert(result, first.GetElement(lane), (int)firstColumn.GetElement(lane));
                result = AssignmentKernels256.Insert(result, second.GetElement(lane), (int)secondColumn.GetElement(lane));
            }
            return result;
        }
    }

    /// <summary>
    /// See <see cref="AssignmentKernelsReference.SelectSmallest"/>. Two passes over the row: the first keeps 32 running
    /// lane minima of the reduced values, each over its own columns, so the list-length-th smallest of them is a value
    /// with at least that many reduced values at or below it, hence at least the last listed value; the second passes
    /// only the values at or below it (4 compared at a time, a few more than the list on a dense row) to the
    /// reference's insertion, in column order, so the list is the reference's. Lists longer than 32 and short rows
    /// take the reference.
    /// </summary>
    public static void SelectSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, Span<int> columns, Span<double> values)
    {
        const int Lanes = 4, Block = 8 * Lanes;
        int kept = columns.Length;
        int length = costRow.Length;
        if (kept > Block || length < Block)
        {
            AssignmentKernelsReference.SelectSmallest(costRow, sign, columnDuals, columns, values);
            return;
        }
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(columnDuals[..length]);
        var signVector = Vector256.Create(sign);
        var infinity = Vector256.Create(double.PositiveInfinity);
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
            lane0 = Vector256.Min(lane0, ReducedVector256(ref cost, ref duals, next + 0, signVector));
            lane1 = Vector256.Min(lane1, ReducedVector256(ref cost, ref duals, next + 4, signVector));
            lane2 = Vector256.Min(lane2, ReducedVector256(ref cost, ref duals, next + 8, signVector));
            lane3 = Vector256.Min(lane3, ReducedVector256(ref cost, ref duals, next + 12, signVector));
            lane4 = Vector256.Min(lane4, ReducedVector256(ref cost, ref duals, next + 16, signVector));
            lane5 = Vector256.Min(lane5, ReducedVector256(ref cost, ref duals, next + 20, signVector));
            lane6 = Vector256.Min(lane6, ReducedVector256(ref cost, ref duals, next + 24, signVector));
            lane7 = Vector256.Min(lane7, ReducedVector256(ref cost, ref duals, next + 28, signVector));
        }
        Span<double> laneMinima = stackalloc double[Block];
        ref double minima = ref MemoryMarshal.GetReference(laneMinima);
        lane0.StoreUnsafe(ref minima, 0);
        lane1.StoreUnsafe(ref minima, 4);
        lane2.StoreUnsafe(ref minima, 8);
        lane3.StoreUnsafe(ref minima, 12);
        lane4.StoreUnsafe(ref minima, 16);
        lane5.StoreUnsafe(ref minima, 20);
        lane6.StoreUnsafe(ref minima, 24);
        lane7.StoreUnsafe(ref minima, 28);
        double threshold = AssignmentKernelsReference.KthSmallest(laneMinima, kept);

        var thresholdVector = Vector256.Create(threshold);
        int filled = 0;
        for (next = 0; next <= length - Lanes; next += Lanes)
        {
            var reduced = ReducedVector256(ref cost, ref duals, next, signVector);
            uint atOrBelow = (uint)Vector256.LessThanOrEqual(reduced, thresholdVector).ExtractMostSignificantBits();
            while (atOrBelow != 0)
            {
                int lane = BitOperations.TrailingZeroCount(atOrBelow);
                atOrBelow &= atOrBelow - 1;
                AssignmentKernelsReference.Offer(columns, values, ref filled, next + lane, reduced.GetElement(lane));
            }
        }
        AssignmentKernelsReference.OfferTail(costRow, sign, columnDuals, next, threshold, columns, values, ref filled);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ReducedVector256(ref float cost, ref double duals, int offset, Vector256<double> signVector)
        => signVector * Vector256.WidenLower(Vector128.LoadUnsafe(ref cost, (nuint)(offset)).ToVector256Unsafe()) - Vector256.LoadUnsafe(ref duals, (nuint)offset);
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mfr.Matching;

/// <summary>
/// AVX-512 versions of the assignment solver's inner loops; same contracts and bit-identical
/// results as <see cref="AssignmentKernelsReference"/>, which they fall back to when 512-bit
/// vectors are not accelerated. Each loop handles 8 columns per step: 8 floats widened to 8
/// doubles (costs stay float to halve the memory traffic of the [rows, columns] matrix; duals
/// and distances are double so the optimum is exact for the float input).
/// </summary>
internal static class AssignmentKernels
{
    private const int Width = 8;

    /// <summary>See <see cref="AssignmentKernelsReference.RelaxRow"/>.</summary>
    public static double RelaxRow(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row, Span<double> distances, Span<long> pathRows)
    {
        if (!Vector512.IsHardwareAccelerated || costRow.Length < Width)
            return AssignmentKernelsReference.RelaxRow(costRow, sign, maskedColumnDuals, offset, row, distances, pathRows);

        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(maskedColumnDuals[..length]);
        ref double distance = ref MemoryMarshal.GetReference(distances[..length]);
        ref long path = ref MemoryMarshal.GetReference(pathRows[..length]);
        var signVector = Vector512.Create(sign);
        var offsetVector = Vector512.Create(offset);
        var rowVector = Vector512.Create(row);
        var lowest = Vector512.Create(double.PositiveInfinity);
        int j = 0;
        for (; j <= length - Width; j += Width)
        {
            lowest = RelaxStep(ref cost, ref duals, ref distance, ref path, (nuint)j, signVector, offsetVector, rowVector, lowest);
        }
        if (j < length)
        {
            // Masked last vector: redo the final 8 columns; columns already relaxed by this row are
            // unchanged by a second relaxation (same value, strict comparison).
            lowest = RelaxStep(ref cost, ref duals, ref distance, ref path, (nuint)(length - Width), signVector, offsetVector, rowVector, lowest);
        }
        return HorizontalMin(lowest);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> RelaxStep(ref float cost, ref double duals, ref double distance, ref long path, nuint offsetIndex,
        Vector512<double> signVector, Vector512<double> offsetVector, Vector512<long> rowVector, Vector512<double> lowest)
    {
        var costs = Vector512.WidenLower(Vector256.LoadUnsafe(ref cost, offsetIndex).ToVector512Unsafe());
        var reduced = offsetVector + (signVector * costs - Vector512.LoadUnsafe(ref duals, offsetIndex));
        var current = Vector512.LoadUnsafe(ref distance, offsetIndex);
        var improved = Vector512.LessThan(reduced, current);
        var updated = Vector512.ConditionalSelect(improved, reduced, current);
        updated.StoreUnsafe(ref distance, offsetIndex);
        Vector512.ConditionalSelect(improved.AsInt64(), rowVector, Vector512.LoadUnsafe(ref path, offsetIndex)).StoreUnsafe(ref path, offsetIndex);
        return Vector512.MinNative(lowest, updated);
    }

    /// <summary>See <see cref="AssignmentKernelsReference.FindLowest"/>.</summary>
    public static int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn)
    {
        if (!Vector512.IsHardwareAccelerated || distances.Length < Width)
            return AssignmentKernelsReference.FindLowest(distances, lowest, rowForColumn);

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
        if (!Vector512.IsHardwareAccelerated || costRow.Length < Width)
            return AssignmentKernelsReference.Smallest(costRow, sign, columnDuals);

        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(columnDuals[..length]);
        var signVector = Vector512.Create(sign);
        var lowest = Vector512.Create(double.PositiveInfinity);
        int j = 0;
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
        if (!Vector512.IsHardwareAccelerated || costRow.Length < 2 * Width)
            return AssignmentKernelsReference.TwoSmallest(costRow, sign, columnDuals);

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
        if (!Vector512.IsHardwareAccelerated || costRow.Length < Width)
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

    /// <summary>See <see cref="AssignmentKernelsReference.UpdateReducedColumnMinima"/>.</summary>
    public static void UpdateReducedColumnMinima(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, double rowDual, Span<double> minima)
    {
        if (!Vector512.IsHardwareAccelerated || costRow.Length < Width)
        {
            AssignmentKernelsReference.UpdateReducedColumnMinima(costRow, sign, columnDuals, rowDual, minima);
            return;
        }
        int length = costRow.Length;
        ref float cost = ref MemoryMarshal.GetReference(costRow);
        ref double duals = ref MemoryMarshal.GetReference(columnDuals[..length]);
        ref double minimum = ref MemoryMarshal.GetReference(minima[..length]);
        var signVector = Vector512.Create(sign);
        var rowDualVector = Vector512.Create(rowDual);
        int j = 0;
        for (; j <= length - Width; j += Width)
        {
            var value = Reduced(ref cost, ref duals, (nuint)j, signVector) - rowDualVector;
            Vector512.MinNative(Vector512.LoadUnsafe(ref minimum, (nuint)j), value).StoreUnsafe(ref minimum, (nuint)j);
        }
        if (j < length)
        {
            nuint last = (nuint)(length - Width);
            var value = Reduced(ref cost, ref duals, last, signVector) - rowDualVector;
            Vector512.MinNative(Vector512.LoadUnsafe(ref minimum, last), value).StoreUnsafe(ref minimum, last);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Reduced(ref float cost, ref double duals, nuint offsetIndex, Vector512<double> signVector)
        => signVector * Vector512.WidenLower(Vector256.LoadUnsafe(ref cost, offsetIndex).ToVector512Unsafe()) - Vector512.LoadUnsafe(ref duals, offsetIndex);

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

}

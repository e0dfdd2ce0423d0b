using Mfr.Numerics;

namespace Mfr.Matching;

/// <summary>
/// The assignment solver's inner loops as the solver calls them: each runs the variant
/// <see cref="KernelRegistry.Assignment"/> selects (one interface call per row; <c>MFR_KERNELS</c> reaches it).
/// </summary>
internal static class AssignmentKernels
{
    /// <summary>See <see cref="AssignmentKernelsReference.RelaxRowAndFindLowest"/>.</summary>
    public static int RelaxRowAndFindLowest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row, Span<double> distances, Span<long> pathRows, ReadOnlySpan<int> rowForColumn, out double lowest)
        => KernelRegistry.Assignment.Selected.RelaxRowAndFindLowest(costRow, sign, maskedColumnDuals, offset, row, distances, pathRows, rowForColumn, out lowest);

    /// <summary>See <see cref="AssignmentKernelsReference.AllFinite"/>.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
        => KernelRegistry.Assignment.Selected.AllFinite(values);

    /// <summary>See <see cref="AssignmentKernelsReference.FindLowest"/>.</summary>
    public static int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn)
        => KernelRegistry.Assignment.Selected.FindLowest(distances, lowest, rowForColumn);

    /// <summary>See <see cref="AssignmentKernelsReference.Smallest"/>.</summary>
    public static double Smallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals)
        => KernelRegistry.Assignment.Selected.Smallest(costRow, sign, columnDuals);

    /// <summary>See <see cref="AssignmentKernelsReference.TwoSmallest"/>.</summary>
    public static TwoSmallest TwoSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals)
        => KernelRegistry.Assignment.Selected.TwoSmallest(costRow, sign, columnDuals);

    /// <summary>See <see cref="AssignmentKernelsReference.UpdateColumnMinima"/>.</summary>
    public static void UpdateColumnMinima(ReadOnlySpan<float> costRow, double sign, long row, Span<double> minima, Span<long> argminRows)
        => KernelRegistry.Assignment.Selected.UpdateColumnMinima(costRow, sign, row, minima, argminRows);

    /// <summary>See <see cref="AssignmentKernelsReference.SelectSmallest"/>.</summary>
    public static void SelectSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, Span<int> columns, Span<double> values)
        => KernelRegistry.Assignment.Selected.SelectSmallest(costRow, sign, columnDuals, columns, values);
}

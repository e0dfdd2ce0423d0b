using Mfr.Numerics;

namespace Mfr.Matching;

/// <summary>
/// The assignment family (<see cref="KernelRegistry.Assignment"/>): the inner loops of the exact linear
/// assignment solver. Every variant gives bit-identical results (the optimum must be exact, ties included).
/// </summary>
internal interface IAssignmentKernel : IKernelVariant
{
    /// <summary>See <see cref="AssignmentKernelsReference.RelaxRowAndFindLowest"/>.</summary>
    int RelaxRowAndFindLowest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row, Span<double> distances, Span<long> pathRows, ReadOnlySpan<int> rowForColumn, out double lowest);

    /// <summary>See <see cref="AssignmentKernelsReference.AllFinite"/>.</summary>
    bool AllFinite(ReadOnlySpan<float> values);

    /// <summary>See <see cref="AssignmentKernelsReference.FindLowest"/>.</summary>
    int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn);

    /// <summary>See <see cref="AssignmentKernelsReference.Smallest"/>.</summary>
    double Smallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals);

    /// <summary>See <see cref="AssignmentKernelsReference.TwoSmallest"/>.</summary>
    TwoSmallest TwoSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals);

    /// <summary>See <see cref="AssignmentKernelsReference.UpdateColumnMinima"/>.</summary>
    void UpdateColumnMinima(ReadOnlySpan<float> costRow, double sign, long row, Span<double> minima, Span<long> argminRows);

    /// <summary>See <see cref="AssignmentKernelsReference.SelectSmallest"/>.</summary>
    void SelectSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, Span<int> columns, Span<double> values);
}

/// <summary>The assignment reference: <see cref="AssignmentKernelsReference"/>.</summary>
internal sealed class AssignmentReferenceKernel() : KernelVariant(KernelLevel.Reference, "scalar loops in double"), IAssignmentKernel
{
    public int RelaxRowAndFindLowest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row, Span<double> distances, Span<long> pathRows, ReadOnlySpan<int> rowForColumn, out double lowest) => AssignmentKernelsReference.RelaxRowAndFindLowest(costRow, sign, maskedColumnDuals, offset, row, distances, pathRows, rowForColumn, out lowest);

    public bool AllFinite(ReadOnlySpan<float> values) => AssignmentKernelsReference.AllFinite(values);

    public int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn) => AssignmentKernelsReference.FindLowest(distances, lowest, rowForColumn);

    public double Smallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals) => AssignmentKernelsReference.Smallest(costRow, sign, columnDuals);

    public TwoSmallest TwoSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals) => AssignmentKernelsReference.TwoSmallest(costRow, sign, columnDuals);

    public void UpdateColumnMinima(ReadOnlySpan<float> costRow, double sign, long row, Span<double> minima, Span<long> argminRows) => AssignmentKernelsReference.UpdateColumnMinima(costRow, sign, row, minima, argminRows);

    public void SelectSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, Span<int> columns, Span<double> values) => AssignmentKernelsReference.SelectSmallest(costRow, sign, columnDuals, columns, values);
}

/// <summary>The Vector256 loops (<see cref="AssignmentKernels256"/>; scalar for rows shorter than a step).</summary>
internal sealed class AssignmentPortableKernel() : KernelVariant(KernelLevel.Portable, "8 columns as two Vector256 of doubles"), IAssignmentKernel
{
    public int RelaxRowAndFindLowest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row, Span<double> distances, Span<long> pathRows, ReadOnlySpan<int> rowForColumn, out double lowest) => AssignmentKernels256.RelaxRowAndFindLowest(costRow, sign, maskedColumnDuals, offset, row, distances, pathRows, rowForColumn, out lowest);

    public bool AllFinite(ReadOnlySpan<float> values) => AssignmentKernels256.AllFinite(values);

    public int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn) => AssignmentKernels256.FindLowest(distances, lowest, rowForColumn);

    public double Smallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals) => AssignmentKernels256.Smallest(costRow, sign, columnDuals);

    public TwoSmallest TwoSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals) => AssignmentKernels256.TwoSmallest(costRow, sign, columnDuals);

    public void UpdateColumnMinima(ReadOnlySpan<float> costRow, double sign, long row, Span<double> minima, Span<long> argminRows) => AssignmentKernels256.UpdateColumnMinima(costRow, sign, row, minima, argminRows);

    public void SelectSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, Span<int> columns, Span<double> values) => AssignmentKernels256.SelectSmallest(costRow, sign, columnDuals, columns, values);
}

/// <summary>The Vector512 loops (<see cref="AssignmentKernels512"/>; scalar for rows shorter than a step).</summary>
internal sealed class AssignmentAvx512Kernel() : KernelVariant(KernelLevel.Avx512, "8 columns as one Vector512 of doubles"), IAssignmentKernel
{
    public int RelaxRowAndFindLowest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> maskedColumnDuals, double offset, long row, Span<double> distances, Span<long> pathRows, ReadOnlySpan<int> rowForColumn, out double lowest) => AssignmentKernels512.RelaxRowAndFindLowest(costRow, sign, maskedColumnDuals, offset, row, distances, pathRows, rowForColumn, out lowest);

    public bool AllFinite(ReadOnlySpan<float> values) => AssignmentKernels512.AllFinite(values);

    public int FindLowest(ReadOnlySpan<double> distances, double lowest, ReadOnlySpan<int> rowForColumn) => AssignmentKernels512.FindLowest(distances, lowest, rowForColumn);

    public double Smallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals) => AssignmentKernels512.Smallest(costRow, sign, columnDuals);

    public TwoSmallest TwoSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals) => AssignmentKernels512.TwoSmallest(costRow, sign, columnDuals);

    public void UpdateColumnMinima(ReadOnlySpan<float> costRow, double sign, long row, Span<double> minima, Span<long> argminRows) => AssignmentKernels512.UpdateColumnMinima(costRow, sign, row, minima, argminRows);

    public void SelectSmallest(ReadOnlySpan<float> costRow, double sign, ReadOnlySpan<double> columnDuals, Span<int> columns, Span<double> values) => AssignmentKernels512.SelectSmallest(costRow, sign, columnDuals, columns, values);
}

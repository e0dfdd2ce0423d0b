using Mfr.Numerics;

namespace Mfr.Regularization;

/// <summary>
/// The matched-rows family (<see cref="KernelRegistry.MatchedRows"/>): the MFR penalty's matched cosines and
/// its dense gradient update, shapes already checked by <see cref="MatchedRows"/>. One fast path, in
/// <c>Vector&lt;T&gt;</c>: two streaming passes over h d floats, bound by memory rather than vector width.
/// </summary>
internal interface IMatchedRowsKernel : IKernelVariant
{
    /// <summary>See <see cref="MatchedRows.MeanCosine"/>: fills <paramref name="rowDots"/>, returns the mean over matched rows.</summary>
    double MeanCosine(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, Span<float> rowDots);

    /// <summary>See <see cref="MatchedRows.AddScaledPartners"/>.</summary>
    void AddScaledPartners(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, float coefficient, Span<float> gradientFirst, Span<float> gradientSecond);
}

/// <summary>The matched-rows reference: <see cref="MatchedRowsReference"/>, dots in double.</summary>
internal sealed class MatchedRowsReferenceKernel() : KernelVariant(KernelLevel.Reference, "scalar loops, dots in double"), IMatchedRowsKernel
{
    public double MeanCosine(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, Span<float> rowDots)
    {
        MatchedRowsReference.MatchedDots(first, second, columnForRow, dimension, rowDots);
        return MatchedRowsReference.MeanCosine(first, second, columnForRow, dimension);
    }

    public void AddScaledPartners(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, float coefficient, Span<float> gradientFirst, Span<float> gradientSecond)
        => MatchedRowsReference.AddScaledPartners(first, second, columnForRow, dimension, coefficient, gradientFirst, gradientSecond);
}

/// <summary>The matched-rows fast path: <see cref="MatchedRows"/>' Vector&lt;T&gt; loops, rows split between threads.</summary>
internal sealed class MatchedRowsPortableKernel() : KernelVariant(KernelLevel.Portable, "Vector<T> rows, threaded"), IMatchedRowsKernel
{
    public double MeanCosine(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, Span<float> rowDots)
        => MatchedRows.MeanCosineFast(first, second, columnForRow, dimension, rowDots);

    public void AddScaledPartners(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, float coefficient, Span<float> gradientFirst, Span<float> gradientSecond)
        => MatchedRows.AddScaledPartnersFast(first, second, columnForRow, dimension, coefficient, gradientFirst, gradientSecond);
}

using Mfr.Numerics;

namespace Mfr.Gpt2;

/// <summary>
/// The GPT-2 family (<see cref="KernelRegistry.Gpt2"/>): the element-wise and row-wise operations of the forward
/// pass (matrix products go through <see cref="KernelRegistry.Gemm"/>). One fast path, in <c>Vector&lt;T&gt;</c>:
/// the forward pass is dominated by its GEMMs, and these passes are memory-bound.
/// </summary>
internal interface IGpt2Kernels : IKernelVariant
{
    /// <summary>See <see cref="Gpt2Kernels.LayerNorm"/>.</summary>
    void LayerNorm(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rowCount, int width, float epsilon, Span<float> output);

    /// <summary>See <see cref="Gpt2Kernels.GeluInPlace"/>.</summary>
    void GeluInPlace(Span<float> values);

    /// <summary>See <see cref="Gpt2Kernels.SoftmaxInPlace"/>.</summary>
    void SoftmaxInPlace(Span<float> row, int validLength);

    /// <summary>See <see cref="Gpt2Kernels.AccumulateLogSumExp"/>.</summary>
    void AccumulateLogSumExp(ReadOnlySpan<float> slice, ref float runningMax, ref double runningSum);

    /// <summary>See <see cref="Gpt2Kernels.BroadcastRows"/>.</summary>
    void BroadcastRows(ReadOnlySpan<float> bias, int rowCount, Span<float> output);

    /// <summary>See <see cref="Gpt2Kernels.AddInPlace"/>.</summary>
    void AddInPlace(ReadOnlySpan<float> source, Span<float> destination);
}

/// <summary>The GPT-2 reference: <see cref="Gpt2KernelsReference"/>.</summary>
internal sealed class Gpt2ReferenceKernels() : KernelVariant(KernelLevel.Reference, "scalar formulas in double"), IGpt2Kernels
{
    public void LayerNorm(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rowCount, int width, float epsilon, Span<float> output) => Gpt2KernelsReference.LayerNorm(input, weight, bias, rowCount, width, epsilon, output);

    public void GeluInPlace(Span<float> values) => Gpt2KernelsReference.GeluInPlace(values);

    public void SoftmaxInPlace(Span<float> row, int validLength) => Gpt2KernelsReference.SoftmaxInPlace(row, validLength);

    public void AccumulateLogSumExp(ReadOnlySpan<float> slice, ref float runningMax, ref double runningSum) => Gpt2KernelsReference.AccumulateLogSumExp(slice, ref runningMax, ref runningSum);

    public void BroadcastRows(ReadOnlySpan<float> bias, int rowCount, Span<float> output) => Gpt2KernelsReference.BroadcastRows(bias, rowCount, output);

    public void AddInPlace(ReadOnlySpan<float> source, Span<float> destination) => Gpt2KernelsReference.AddInPlace(source, destination);
}

/// <summary>The GPT-2 fast path: <see cref="Gpt2Kernels"/>.</summary>
internal sealed class Gpt2PortableKernels() : KernelVariant(KernelLevel.Portable, "Vector<T> with a polynomial exp"), IGpt2Kernels
{
    public void LayerNorm(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rowCount, int width, float epsilon, Span<float> output) => Gpt2Kernels.LayerNorm(input, weight, bias, rowCount, width, epsilon, output);

    public void GeluInPlace(Span<float> values) => Gpt2Kernels.GeluInPlace(values);

    public void SoftmaxInPlace(Span<float> row, int validLength) => Gpt2Kernels.SoftmaxInPlace(row, validLength);

    public void AccumulateLogSumExp(ReadOnlySpan<float> slice, ref float runningMax, ref double runningSum) => Gpt2Kernels.AccumulateLogSumExp(slice, ref runningMax, ref runningSum);

    public void BroadcastRows(ReadOnlySpan<float> bias, int rowCount, Span<float> output) => Gpt2Kernels.BroadcastRows(bias, rowCount, output);

    public void AddInPlace(ReadOnlySpan<float> source, Span<float> destination) => Gpt2Kernels.AddInPlace(source, destination);
}

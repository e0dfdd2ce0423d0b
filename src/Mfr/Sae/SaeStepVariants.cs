using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// The SAE-step family (<see cref="KernelRegistry.SaeStep"/>): the cheap dense passes of an SAE step around the
/// big kernels. One fast path, in <c>Vector&lt;T&gt;</c> and threaded in a fixed split: streaming passes bound by memory.
/// </summary>
internal interface ISaeStepKernels : IKernelVariant
{
    /// <summary>See <see cref="SaeStepKernels.AddRowVector"/>.</summary>
    void AddRowVector(Span<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, int maxThreads);

    /// <summary>See <see cref="SaeStepKernels.SubtractRowVector"/>.</summary>
    void SubtractRowVector(ReadOnlySpan<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, Span<float> destination, int maxThreads);

    /// <summary>See <see cref="SaeStepKernels.SquaredErrorAndGradient"/>.</summary>
    double SquaredErrorAndGradient(ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> inputs, int batchSize, int dimension, Span<float> gradient, int maxThreads);

    /// <summary>See <see cref="SaeStepKernels.Activate"/>.</summary>
    void Activate(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int rowCount, int k, int latentCount, bool relu, Span<float> activations, Span<int> fireCounts, Span<int> partialCounts, int maxThreads);

    /// <summary>See <see cref="SaeStepKernels.MaskReluGradient"/>.</summary>
    void MaskReluGradient(ReadOnlySpan<float> values, Span<float> gradient);

    /// <summary>See <see cref="SaeStepKernels.ProjectDecoderGradient"/>.</summary>
    void ProjectDecoderGradient(ReadOnlySpan<float> decoder, ReadOnlySpan<float> rowNorms, ReadOnlySpan<float> decoderGradient, int latentCount, int dimension, Span<float> weightGradient, int maxThreads);

    /// <summary>See <see cref="SaeStepKernels.NormalizeRows"/>.</summary>
    void NormalizeRows(ReadOnlySpan<float> weights, int latentCount, int dimension, Span<float> decoder, Span<float> rowNorms, int maxThreads);
}

/// <summary>The SAE-step reference: <see cref="SaeStepKernelsReference"/>, single-threaded, sums in double.</summary>
internal sealed class SaeStepReferenceKernels() : KernelVariant(KernelLevel.Reference, "scalar loops, sums in double"), ISaeStepKernels
{
    public void AddRowVector(Span<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, int maxThreads)
        => SaeStepKernelsReference.AddRowVector(matrix, row, rowCount, columnCount, subtract: false, matrix);

    public void SubtractRowVector(ReadOnlySpan<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, Span<float> destination, int maxThreads)
        => SaeStepKernelsReference.AddRowVector(matrix, row, rowCount, columnCount, subtract: true, destination);

    public double SquaredErrorAndGradient(ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> inputs, int batchSize, int dimension, Span<float> gradient, int maxThreads)
        => SaeStepKernelsReference.SquaredErrorAndGradient(reconstruction, inputs, batchSize, dimension, gradient);

    public void Activate(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int rowCount, int k, int latentCount, bool relu, Span<float> activations, Span<int> fireCounts, Span<int> partialCounts, int maxThreads)
        => SaeStepKernelsReference.Activate(indices[..(rowCount * k)], values[..(rowCount * k)], relu, activations, fireCounts[..latentCount]);

    public void MaskReluGradient(ReadOnlySpan<float> values, Span<float> gradient)
        => SaeStepKernelsReference.MaskReluGradient(values, gradient);

    public void ProjectDecoderGradient(ReadOnlySpan<float> decoder, ReadOnlySpan<float> rowNorms, ReadOnlySpan<float> decoderGradient, int latentCount, int dimension, Span<float> weightGradient, int maxThreads)
        => SaeStepKernelsReference.ProjectDecoderGradient(decoder, rowNorms, decoderGradient, latentCount, dimension, weightGradient);

    public void NormalizeRows(ReadOnlySpan<float> weights, int latentCount, int dimension, Span<float> decoder, Span<float> rowNorms, int maxThreads)
        => SaeStepKernelsReference.NormalizeRows(weights, latentCount, dimension, decoder, rowNorms);
}

/// <summary>The SAE-step fast path: <see cref="SaeStepKernels"/>.</summary>
internal sealed class SaeStepPortableKernels() : KernelVariant(KernelLevel.Portable, "Vector<T>, fixed row split over threads"), ISaeStepKernels
{
    public void AddRowVector(Span<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, int maxThreads)
        => SaeStepKernels.AddRowVector(matrix, row, rowCount, columnCount, maxThreads);

    public void SubtractRowVector(ReadOnlySpan<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, Span<float> destination, int maxThreads)
        => SaeStepKernels.SubtractRowVector(matrix, row, rowCount, columnCount, destination, maxThreads);

    public double SquaredErrorAndGradient(ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> inputs, int batchSize, int dimension, Span<float> gradient, int maxThreads)
        => SaeStepKernels.SquaredErrorAndGradient(reconstruction, inputs, batchSize, dimension, gradient, maxThreads);

    public void Activate(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int rowCount, int k, int latentCount, bool relu, Span<float> activations, Span<int> fireCounts, Span<int> partialCounts, int maxThreads)
        => SaeStepKernels.Activate(indices, values, rowCount, k, latentCount, relu, activations, fireCounts, partialCounts, maxThreads);

    public void MaskReluGradient(ReadOnlySpan<float> values, Span<float> gradient)
        => SaeStepKernels.MaskReluGradient(values, gradient);

    public void ProjectDecoderGradient(ReadOnlySpan<float> decoder, ReadOnlySpan<float> rowNorms, ReadOnlySpan<float> decoderGradient, int latentCount, int dimension, Span<float> weightGradient, int maxThreads)
        => SaeStepKernels.ProjectDecoderGradient(decoder, rowNorms, decoderGradient, latentCount, dimension, weightGradient, maxThreads);

    public void NormalizeRows(ReadOnlySpan<float> weights, int latentCount, int dimension, Span<float> decoder, Span<float> rowNorms, int maxThreads)
        => SaeStepKernels.NormalizeRows(weights, latentCount, dimension, decoder, rowNorms, maxThreads);
}

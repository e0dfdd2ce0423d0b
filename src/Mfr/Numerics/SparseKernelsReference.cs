namespace Mfr.Numerics;

/// <summary>
/// Scalar specification of the sparse SAE kernels (SPEC 1: after the encoder product everything
/// touches only the k active latents of each sample, O(B k d)). Legend: B = rowCount (samples),
/// k = active latents per sample, d = dimension, h = latentCount. <c>indices [B,k]</c> and
/// <c>coefficients [B,k]</c> are the TopK output of <see cref="TopK"/>.
/// </summary>
public static class SparseKernelsReference
{
    /// <summary><c>output[b,:] = sum_s coefficients[b,s] * rows[indices[b,s], :]</c> (the decode x^ = z D).</summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>, each in [0, h).</param>
    /// <param name="coefficients">Their values, <c>[B, k]</c>.</param>
    /// <param name="rows">Decoder directions, <c>[h, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="output">Reconstruction, <c>[B, d]</c>, overwritten.</param>
    public static void Decode(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> output)
    {
        for (int b = 0; b < rowCount; b++)
        {
            for (int t = 0; t < dimension; t++)
            {
                double sum = 0;
                for (int s = 0; s < k; s++) sum += (double)coefficients[b * k + s] * rows[indices[b * k + s] * dimension + t];
                output[b * dimension + t] = (float)sum;
            }
        }
    }

    /// <summary><c>result[b,s] = dot(vectors[b,:], rows[indices[b,s], :])</c> (gradient of the loss with respect to z).</summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>.</param>
    /// <param name="vectors">Per-sample vectors (e.g. dL/dx^), <c>[B, d]</c>.</param>
    /// <param name="rows">Decoder directions, <c>[h, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="result">Dot products, <c>[B, k]</c>, overwritten.</param>
    public static void GatherDots(ReadOnlySpan<int> indices, ReadOnlySpan<float> vectors, ReadOnlySpan<float> rows, int rowCount, int k, int dimension, Span<float> result)
    {
        for (int b = 0; b < rowCount; b++)
        {
            for (int s = 0; s < k; s++)
            {
                double sum = 0;
                int row = indices[b * k + s];
                for (int t = 0; t < dimension; t++) sum += (double)vectors[b * dimension + t] * rows[row * dimension + t];
                result[b * k + s] = (float)sum;
            }
        }
    }

    /// <summary><c>gradient[indices[b,s], :] += coefficients[b,s] * vectors[b,:]</c> for all b, s (weight-gradient scatter; accumulates).</summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>.</param>
    /// <param name="coefficients">Scales, <c>[B, k]</c>.</param>
    /// <param name="vectors">Per-sample vectors, <c>[B, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="gradient">Accumulated rows, <c>[h, d]</c>.</param>
    public static void ScatterAdd(ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> vectors, int rowCount, int k, int dimension, int latentCount, Span<float> gradient)
    {
        var sums = new double[(long)latentCount * dimension];
        for (int b = 0; b < rowCount; b++)
        {
            for (int s = 0; s < k; s++)
            {
                int row = indices[b * k + s];
                double scale = coefficients[b * k + s];
                for (int t = 0; t < dimension; t++) sums[row * dimension + t] += scale * vectors[b * dimension + t];
            }
        }
        for (int i = 0; i < sums.Length; i++) gradient[i] += (float)sums[i];
    }

    /// <summary>
    /// The SAE's decode and loss in one specification: <c>x^ = z D + b_dec</c> (<see cref="Decode"/>, then the bias),
    /// <c>L = mean((x^ - x)^2)</c> summed in double, <c>dL/dx^ = (x^ - x) * (float)(2 / (B d))</c> and
    /// <c>dL/dz = dL/dx^ . D_j</c> at the active latents (<see cref="GatherDots"/> of that gradient).
    /// </summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>, each in [0, h).</param>
    /// <param name="coefficients">Their values z, <c>[B, k]</c>.</param>
    /// <param name="rows">Decoder directions, <c>[h, d]</c>.</param>
    /// <param name="rowBias">b_dec, <c>[d]</c>, or empty for none.</param>
    /// <param name="targets">x, <c>[B, d]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="dimension">d.</param>
    /// <param name="output">x^, <c>[B, d]</c>, overwritten.</param>
    /// <param name="gradient">dL/dx^, <c>[B, d]</c>, overwritten.</param>
    /// <param name="dots">dL/dz, <c>[B, k]</c>, overwritten.</param>
    /// <returns>L (0 for an empty batch).</returns>
    public static double DecodeLossAndDots(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, ReadOnlySpan<float> rowBias, ReadOnlySpan<float> targets,
        int rowCount, int k, int dimension, Span<float> output, Span<float> gradient, Span<float> dots)
    {
        long count = (long)rowCount * dimension;
        Decode(indices, coefficients, rows, rowCount, k, dimension, output);
        float scale = count == 0 ? 0f : (float)(2.0 / count);
        double total = 0;
        for (int b = 0; b < rowCount; b++)
        {
            for (int t = 0; t < dimension; t++)
            {
                int i = b * dimension + t;
                if (!rowBias.IsEmpty) output[i] += rowBias[t];
                float difference = output[i] - targets[i];
                gradient[i] = difference * scale;
                total += (double)difference * difference;
            }
        }
        GatherDots(indices, gradient, rows, rowCount, k, dimension, dots);
        return count == 0 ? 0 : total / count;
    }

    /// <summary><c>sums[indices[b,s]] += values[b,s]</c>, one float addition at a time in (b, s) order (the bias gradient; accumulates).</summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>.</param>
    /// <param name="values">Values, <c>[B, k]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="sums">Per-latent sums, <c>[h]</c>, accumulated.</param>
    public static void SumByLatent(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int rowCount, int k, Span<float> sums)
    {
        for (int i = 0; i < rowCount * k; i++) sums[indices[i]] += values[i];
    }
}

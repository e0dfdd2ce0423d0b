using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

public sealed unsafe class Int8ProductTests
{
    private static readonly (int Rows, int Depth, int Latents)[] Shapes =
        [(1, 1, 1), (5, 3, 17), (7, 4, 16), (29, 33, 40), (25, 70, 33), (13, 1030, 50), (9, 257, 96)];

    /// <summary>
    /// Quantises with the vector path and multiplies with <typeparamref name="TKernel"/>; checks the codes against
    /// <see cref="Int8SelectReference.QuantizeRow"/> and every product against the scalar sum of code products.
    /// </summary>
    private static void AssertExact<TKernel>()
        where TKernel : struct, IInt8MicroKernel
    {
        if (TKernel.UnsupportedReason is not null) return;
        ulong seed = 1;
        foreach (var (rows, d, h) in Shapes)
        {
            // Given: Gaussian data with a large entry per row, so codes span the whole range
            var inputs = new float[rows * d];
            var weights = new float[h * d];
            var bias = new float[h];
            new Rng(seed++).FillGaussian(inputs);
            new Rng(seed++).FillGaussian(weights);
            inputs[0] = 9;
            weights[^1] = -7;
            using var buffers = new Int8SelectBuffers(rows, d, h);
            float rho = Int8SelectBound.Rho(d);
            int offset = TKernel.InputLevels + 1, stride = 4 * buffers.GroupCount;

            // When
            var scratch = new byte[stride];
            fixed (float* x = inputs, w = weights, b = bias)
            fixed (byte* rowCodes = scratch)
            {
                Int8Quantization.QuantizeWeights(w, b, h, d, rho, 0, buffers.PaddedLatents, rowCodes, buffers.Pointers);
                for (int r = 0; r < rows; r++) Int8Quantization.QuantizeRow(x + r * d, d, TKernel.InputLevels, offset, rho, buffers.InputCodes + r * stride, stride);
            }
            Int8Product<TKernel>.Multiply(buffers, rows, maxThreads: 2);

            // Then
            var expectedInput = new sbyte[d];
            var expectedWeights = new sbyte[h * d];
            for (int j = 0; j < h; j++) Int8SelectReference.QuantizeRow(weights.AsSpan(j * d, d), Int8SelectBound.WeightLevels, rho, expectedWeights.AsSpan(j * d, d));
            for (int r = 0; r < rows; r++)
            {
                Int8SelectReference.QuantizeRow(inputs.AsSpan(r * d, d), TKernel.InputLevels, rho, expectedInput);
                for (int p = 0; p < d; p++) Assert.Equal(expectedInput[p] + offset, (int)buffers.InputCodes[r * stride + p]);
                for (int j = 0; j < h; j++)
                {
                    int expected = 0;
                    for (int p = 0; p < d; p++) expected += expectedInput[p] * expectedWeights[j * d + p];
                    int actual = buffers.Products[r * buffers.PaddedLatents + j] - offset * buffers.ColumnSum[j];
                    Assert.True(expected == actual, $"{typeof(TKernel).Name} rows={rows} d={d} h={h}: product [{r},{j}] is {actual}, expected {expected}.");
                }
            }
        }
    }

    [Fact]
    public void Portable_ProductsAreExact() => AssertExact<Int8MicroKernelPortable>();

    [Fact]
    public void Avx2_ProductsAreExact() => AssertExact<Int8MicroKernelAvx2>();

    [Fact]
    public void AvxVnni_ProductsAreExact() => AssertExact<Int8MicroKernelAvxVnni>();

    [Fact]
    public void Avx512Bw_ProductsAreExact() => AssertExact<Int8MicroKernelAvx512Bw>();
}

using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed unsafe class GemmPackingTests
{
    [KernelTheory("gemm")]
    [InlineData("avx512")]
    public void Transpose16x16_DestinationRowJ_IsSourceColumnJ(string variant)
    {
        // Given a 16 x 16 block inside rows of 21 floats, every value distinct, and a destination with rows of 19
        Assert.Equal("avx512", variant);
        var source = new float[16 * 21];
        for (int i = 0; i < source.Length; i++) source[i] = i + 0.5f;
        var destination = new float[16 * 19];

        // When
        fixed (float* from = source, to = destination) GemmPacking.Transpose16x16(from + 2, 21, to + 1, 19);

        // Then
        for (int j = 0; j < 16; j++)
            for (int i = 0; i < 16; i++) Assert.Equal(source[i * 21 + 2 + j], destination[j * 19 + 1 + i]);
        Assert.Equal(0f, destination[0]);
    }

    [KernelTheory("gemm")]
    [InlineData("avx512")]
    public void Avx512PackRowsTransposed_EqualsTheScalarPacking_OverAwkwardSizes(string variant)
    {
        Assert.Equal("avx512", variant);
        foreach (int rows in new[] { 1, 15, 16, 17, 31, 32, 33, 48, 70 })
            foreach (int depth in new[] { 1, 15, 16, 17, 33, 250 })
            {
                // Given rows of a wider matrix (stride past depth), values distinct, and two destinations pre-filled with NaN
                int stride = depth + 3;
                var source = new float[rows * stride];
                for (int i = 0; i < source.Length; i++) source[i] = i * 0.25f - 7;
                int slivers = (rows + 31) / 32;
                var expected = new float[slivers * 32 * depth];
                var actual = new float[expected.Length];
                Array.Fill(expected, float.NaN);
                Array.Fill(actual, float.NaN);

                // When
                fixed (float* from = source, to = expected) GemmPacking.PackRowsTransposed(from, stride, rows, depth, 32, to);
                fixed (float* from = source, to = actual) GemmMicroKernelAvx512.PackRowsTransposed(from, stride, rows, depth, to);

                // Then: the same floats in the same places, padding rows zero
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(expected[i].Equals(actual[i]), $"rows {rows} depth {depth} index {i}: expected {expected[i]}, got {actual[i]}");
            }
    }
}

using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class SparseDecodeInOrderTests
{
    /// <summary>The registered sparse variants, the reference included (it ignores the order).</summary>
    public static TheoryData<string> AllVariants => ["reference", .. KernelVariants.SupportedFast("sparse")];

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void IsBitwiseTheSampleOrderDecode_OnAwkwardSizes(string variant)
    {
        ulong seed = 900;
        var kernel = KernelRegistry.Sparse.Get(variant);
        foreach (int dimension in new[] { 1, 7, 16, 17, 127, 128, 129, 257, 300 })
        {
            foreach (int k in new[] { 1, 3, 17 })
            {
                foreach (int rowCount in new[] { 1, 33, 200 })
                {
                    // Given: a shuffled order of the samples.
                    int latentCount = 40;
                    var rng = new Rng(seed++);
                    var indices = new int[rowCount * k];
                    for (int i = 0; i < indices.Length; i++) indices[i] = rng.NextInt(latentCount);
                    var coefficients = KernelTestData.Gaussian(rowCount * k, seed++).Span.ToArray();
                    var rows = KernelTestData.Gaussian(latentCount * dimension, seed++).Span.ToArray();
                    var order = Enumerable.Range(0, rowCount).ToArray();
                    for (int i = rowCount - 1; i > 0; i--)
                    {
                        int j = rng.NextInt(i + 1);
                        (order[i], order[j]) = (order[j], order[i]);
                    }
                    var ordered = KernelTestData.Empty(rowCount * dimension);
                    var plain = new float[rowCount * dimension];

                    // When
                    SparseKernels.DecodeInOrderWith(order, indices, coefficients, rows, rowCount, k, dimension, ordered.Span, kernel, maxThreads: 2);
                    SparseKernels.DecodeWith(indices, coefficients, rows, rowCount, k, dimension, plain, kernel, maxThreads: 2);

                    // Then
                    string what = $"{variant} ordered decode B={rowCount} k={k} d={dimension}";
                    Assert.True(plain.AsSpan().SequenceEqual(ordered.Span), what);
                    ordered.AssertCanariesIntact(what);
                }
            }
        }
    }

    [Fact]
    public void Throws_OnASampleOutsideTheBatch()
    {
        var exception = Assert.Throws<ArgumentException>(() => SparseKernels.DecodeInOrderWith([0, 2], [0, 0], [1f, 1f], new float[3], 2, 1, 3, new float[6], KernelRegistry.Sparse.Selected, maxThreads: 1));
        Assert.Contains("indices[1] = 2", exception.Message);
    }
}

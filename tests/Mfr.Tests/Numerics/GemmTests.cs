using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class GemmTests
{
    // Awkward sizes: 0, 1, around the 16-float vector width and the 14-row / 32-column tiles.
    private static readonly int[] RowAndColumnSizes = [0, 1, 2, 7, 15, 16, 17, 31, 33, 47, 49];
    private static readonly int[] DepthSizes = [0, 1, 2, 7, 16, 17, 33, 49];

    /// <summary>Shapes that cross the depth block (256), the packed-B column block and the threading threshold.</summary>
    private static readonly (int M, int N, int K)[] LargeShapes = [(97, 131, 259), (29, 600, 300), (130, 70, 513)];

    /// <summary>The registered fast GEMM variants (<see cref="KernelRegistry.Gemm"/>), overwriting and accumulating.</summary>
    public static TheoryData<string, bool> VariantsAndAccumulate => KernelVariants.Fast("gemm", false, true);

    private delegate void Product(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int m, int n, int k, Span<float> c, bool accumulate);

    private static void CheckAgainstReference(Product fast, Product reference, int m, int n, int k, bool accumulate, ulong seed, string name)
    {
        // Given
        var a = KernelTestData.Gaussian(m * k, seed);
        var b = KernelTestData.Gaussian(n * k, seed + 1);
        var actual = KernelTestData.Gaussian(m * n, seed + 2);
        var expected = actual.Clone();

        // When
        fast(a.Span, b.Span, m, n, k, actual.Span, accumulate);
        reference(a.Span, b.Span, m, n, k, expected.Span, accumulate);

        // Then
        string what = $"{name} m={m} n={n} k={k} accumulate={accumulate}";
        AssertClose.Equal(expected.Span, actual.Span, 1e-5 * Math.Sqrt(k + 1), 1e-4, what);
        actual.AssertCanariesIntact(what);
    }

    private static void SweepSizes(Product fast, Product reference, bool accumulate, string name)
    {
        ulong seed = 1;
        foreach (int m in RowAndColumnSizes)
            foreach (int n in RowAndColumnSizes)
                foreach (int k in DepthSizes) CheckAgainstReference(fast, reference, m, n, k, accumulate, seed++, name);
        foreach (var (m, n, k) in LargeShapes) CheckAgainstReference(fast, reference, m, n, k, accumulate, seed++, name);
    }

    /// <summary>
    /// Few rows and many columns (the GPT-2 shape's encoder at a small batch) split the columns into panels that each thread
    /// packs on its own (<c>GemmDriver.UsesColumnPanels</c>); every element must still get the one-thread loop's additions
    /// in its order. The shape crosses the depth block (256) and the packed column block (512 at this depth), and neither
    /// m nor n is a whole number of tiles.
    /// </summary>
    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void ColumnPanels_GiveTheBitsOfOneThread(bool transposed, bool accumulate)
    {
        // Given
        const int m = 75, n = 1100, k = 530;
        Assert.True(GemmDriver<GemmMicroKernelPortable>.UsesColumnPanels(m, n, threads: 2));
        var a = KernelTestData.Gaussian(m * k, 21);
        var b = KernelTestData.Gaussian(n * k, 22);
        var start = KernelTestData.Gaussian(m * n, 23);
        Product product = transposed
            ? (x, y, rows, columns, depth, c, add) => Gemm.MultiplyTransposedWith(x, y, rows, columns, depth, c, add, KernelRegistry.Gemm.Selected, maxThreads: 1)
            : (x, y, rows, columns, depth, c, add) => Gemm.MultiplyWith(x, y, rows, columns, depth, c, add, KernelRegistry.Gemm.Selected, maxThreads: 1);
        var oneThread = start.Span.ToArray();
        product(a.Span, b.Span, m, n, k, oneThread, accumulate);

        foreach (int threads in new[] { 2, 3, 8 })
        {
            // When
            var panels = start.Span.ToArray();
            if (transposed) Gemm.MultiplyTransposedWith(a.Span, b.Span, m, n, k, panels, accumulate, KernelRegistry.Gemm.Selected, threads);
            else Gemm.MultiplyWith(a.Span, b.Span, m, n, k, panels, accumulate, KernelRegistry.Gemm.Selected, threads);

            // Then
            Assert.Equal(oneThread, panels);
        }
    }

    public sealed class MultiplyTransposed
    {
        [KernelTheory("gemm")]
        [MemberData(nameof(VariantsAndAccumulate), MemberType = typeof(GemmTests))]
        public void MatchesReference_OnAwkwardSizes(string variant, bool accumulate)
            => SweepSizes(
                (a, b, m, n, k, c, add) => Gemm.MultiplyTransposedWith(a, b, m, n, k, c, add, KernelRegistry.Gemm.Get(variant), maxThreads: 2),
                GemmReference.MultiplyTransposed, accumulate, $"{variant} NT");

        [Fact]
        public void SameResult_ForOneAndTwoThreads()
        {
            // Given
            const int m = 150, n = 200, k = 300;
            var a = KernelTestData.Gaussian(m * k, 7);
            var b = KernelTestData.Gaussian(n * k, 8);
            var one = new float[m * n];
            var two = new float[m * n];

            // When
            Gemm.MultiplyTransposedWith(a.Span, b.Span, m, n, k, one, false, KernelRegistry.Gemm.Selected, maxThreads: 1);
            Gemm.MultiplyTransposedWith(a.Span, b.Span, m, n, k, two, false, KernelRegistry.Gemm.Selected, maxThreads: 2);

            // Then
            Assert.Equal(one, two);
        }

        [Fact]
        public void Throws_WhenOutputIsTooShort()
        {
            var exception = Assert.Throws<ArgumentException>(() => Gemm.MultiplyTransposed(new float[6], new float[6], 2, 3, 3, new float[5]));
            Assert.Contains("c[m,n]=[2,3]", exception.Message);
        }
    }

    public sealed class Multiply
    {
        [KernelTheory("gemm")]
        [MemberData(nameof(VariantsAndAccumulate), MemberType = typeof(GemmTests))]
        public void MatchesReference_OnAwkwardSizes(string variant, bool accumulate)
            => SweepSizes(
                (a, b, m, n, k, c, add) => Gemm.MultiplyWith(a, b, m, n, k, c, add, KernelRegistry.Gemm.Get(variant), maxThreads: 2),
                GemmReference.Multiply, accumulate, $"{variant} NN");

        [Fact]
        public void PublicEntry_UsesSelectedKernels_AndMatchesReference()
        {
            // Given
            const int m = 40, n = 50, k = 60;
            var a = KernelTestData.Gaussian(m * k, 3);
            var b = KernelTestData.Gaussian(k * n, 4);
            var actual = new float[m * n];
            var expected = new float[m * n];

            // When
            Gemm.Multiply(a.Span, b.Span, m, n, k, actual);
            GemmReference.Multiply(a.Span, b.Span, m, n, k, expected);

            // Then
            AssertClose.Equal(expected, actual, 1e-4, 1e-4);
        }
    }
}

using Mfr.Numerics;
using Mfr.Regularization;
using Mfr.Tests.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Regularization;

public sealed class MatchedRowsTests
{
    /// <summary>(rows of a, rows of b, d): empty, single, odd, non-multiples of the vector width, and one large enough to run on two threads.</summary>
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 0, 0, 5 }, { 1, 1, 1 }, { 3, 5, 7 }, { 5, 3, 8 }, { 7, 7, 17 }, { 9, 12, 25 }, { 64, 64, 33 }, { 300, 257, 256 },
    };

    /// <summary>Every fast matched-rows variant (<see cref="KernelRegistry.MatchedRows"/>) at every shape.</summary>
    public static TheoryData<string, int, int, int> VariantsAndShapes
    {
        get
        {
            var data = new TheoryData<string, int, int, int>();
            foreach (string variant in KernelVariants.FastNames("matchedrows"))
            {
                foreach (var row in Shapes) data.Add(variant, (int)row[0], (int)row[1], (int)row[2]);
            }
            return data;
        }
    }

    /// <summary>A one-to-one partial matching of a's rows to b's: row i gets a distinct b row or -1 (about one in five unmatched).</summary>
    internal static int[] Matching(int rowsA, int rowsB, ulong seed)
    {
        var rng = new Rng(seed);
        var order = Enumerable.Range(0, rowsB).ToArray();
        for (int i = rowsB - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return Enumerable.Range(0, rowsA).Select(i => i < rowsB && rng.NextInt(5) != 0 ? order[i] : -1).ToArray();
    }

    public sealed class TheMeanCosineMethod
    {
        [KernelTheory("matchedrows")]
        [MemberData(nameof(VariantsAndShapes), MemberType = typeof(MatchedRowsTests))]
        public void EqualsTheReference_OnAwkwardShapes(string variant, int rowsA, int rowsB, int d)
        {
            // Given
            var first = KernelTestData.Gaussian(rowsA * d, 1);
            var second = KernelTestData.Gaussian(rowsB * d, 2);
            var matching = Matching(rowsA, rowsB, 3);
            var dots = new float[rowsA];

            // When
            double actual = KernelRegistry.MatchedRows.Get(variant).MeanCosine(first.Span, second.Span, matching, d, dots);

            // Then
            double expected = MatchedRowsReference.MeanCosine(first.Span, second.Span, matching, d);
            AssertClose.Equal(expected, actual, 1e-5, 1e-5, $"mean over [{rowsA},{rowsB},{d}]");
        }

        [Fact]
        public void IsTheSame_ForOneAndTwoThreads()
        {
            // Given
            int rows = 300, d = 256;
            var first = KernelTestData.Gaussian(rows * d, 4);
            var second = KernelTestData.Gaussian(rows * d, 5);
            var matching = Matching(rows, rows, 6);
            int threads = Parallelism.MaxThreads;

            // When
            double one, two;
            try
            {
                Parallelism.MaxThreads = 1;
                one = MatchedRows.MeanCosine(first.Span, second.Span, matching, d, new float[rows]);
                Parallelism.MaxThreads = 2;
                two = MatchedRows.MeanCosine(first.Span, second.Span, matching, d, new float[rows]);
            }
            finally
            {
                Parallelism.MaxThreads = threads;
            }

            // Then
            Assert.Equal(one, two);
        }

        [Fact]
        public void RefusesAMatchOutsideTheSecondDecoder()
        {
            // Given a matching that points at row 4 of a 4-row decoder
            var first = new float[2 * 3];
            var second = new float[4 * 3];

            // When / Then
            var error = Assert.Throws<ArgumentException>(() => MatchedRows.MeanCosine(first, second, [0, 4], 3, new float[2]));
            Assert.Contains("outside", error.Message);
        }
    }

    public sealed class TheAddScaledPartnersMethod
    {
        [KernelTheory("matchedrows")]
        [MemberData(nameof(VariantsAndShapes), MemberType = typeof(MatchedRowsTests))]
        public void EqualsTheReference_AndWritesOnlyInsideTheGradients(string variant, int rowsA, int rowsB, int d)
        {
            // Given
            var first = KernelTestData.Gaussian(rowsA * d, 7);
            var second = KernelTestData.Gaussian(rowsB * d, 8);
            var matching = Matching(rowsA, rowsB, 9);
            var gradientA = KernelTestData.Gaussian(rowsA * d, 10);
            var gradientB = KernelTestData.Gaussian(rowsB * d, 11);
            var expectedA = gradientA.Span.ToArray();
            var expectedB = gradientB.Span.ToArray();
            MatchedRowsReference.AddScaledPartners(first.Span, second.Span, matching, d, -0.375f, expectedA, expectedB);

            // When
            KernelRegistry.MatchedRows.Get(variant).AddScaledPartners(first.Span, second.Span, matching, d, -0.375f, gradientA.Span, gradientB.Span);

            // Then
            AssertClose.Equal(expectedA, gradientA.Span, 1e-6, 1e-6, "gradient a");
            AssertClose.Equal(expectedB, gradientB.Span, 1e-6, 1e-6, "gradient b");
            gradientA.AssertCanariesIntact("gradient a");
            gradientB.AssertCanariesIntact("gradient b");
        }
    }
}

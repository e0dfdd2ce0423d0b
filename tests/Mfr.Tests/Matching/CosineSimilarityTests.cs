using Mfr.Matching;
using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Matching;

public sealed class CosineSimilarityTests
{
    public sealed class NormalizeRows
    {
        [Fact]
        public void RowsBecomeUnitLength_ZeroRowStaysZero()
        {
            float[] matrix = [3, 4, 0, 0, 0, 0, -1, 0, 0];
            var unit = new float[9];

            CosineSimilarity.NormalizeRows(matrix, 3, 3, unit);

            AssertClose.Equal([0.6f, 0.8f, 0, 0, 0, 0, -1, 0, 0], unit, 1e-7, 0);
        }

        [Fact]
        public void InPlace_GivesTheSameResult()
        {
            var matrix = Gaussian(7, 13, 1);
            var expected = new float[matrix.Length];
            CosineSimilarity.NormalizeRows(matrix, 7, 13, expected);

            CosineSimilarity.NormalizeRows(matrix, 7, 13, matrix);

            Assert.Equal(expected, matrix);
        }
    }

    public sealed class Compute
    {
        [Fact]
        public void HandComputedCase_WithAZeroRow()
        {
            // Given a = {(1,0), (0,2), (0,0)} and b = {(1,1), (-3,0)}
            float[] a = [1, 0, 0, 2, 0, 0];
            float[] b = [1, 1, -3, 0];

            var cosines = CosineSimilarity.Compute(a, b, 3, 2, 2);

            float half = MathF.Sqrt(0.5f);
            AssertClose.Equal([half, -1, half, 0, 0, 0], cosines, 1e-6, 0);
        }

        [Fact]
        public void RandomRows_MatchTheDefinitionInDouble()
        {
            var a = Gaussian(9, 37, 2);
            var b = Gaussian(11, 37, 3);

            var cosines = CosineSimilarity.Compute(a, b, 9, 11, 37);

            var expected = new float[9 * 11];
            for (int i = 0; i < 9; i++)
            {
                for (int j = 0; j < 11; j++)
                {
                    double dot = 0, normA = 0, normB = 0;
                    for (int k = 0; k < 37; k++)
                    {
                        dot += (double)a[i * 37 + k] * b[j * 37 + k];
                        normA += (double)a[i * 37 + k] * a[i * 37 + k];
                        normB += (double)b[j * 37 + k] * b[j * 37 + k];
                    }
                    expected[i * 11 + j] = (float)(dot / Math.Sqrt(normA * normB));
                }
            }
            AssertClose.Equal(expected, cosines, 1e-6, 1e-5);
        }

        [Fact]
        public void WrongOutputLength_ThrowsNamingShapes()
        {
            var exception = Assert.Throws<ArgumentException>(() => CosineSimilarity.Compute(new float[6], new float[4], 3, 2, 2, new float[5]));
            Assert.Contains("[3, 2]", exception.Message);
        }
    }

    public sealed class MaxPerRow
    {
        [Fact]
        public void TakesTheLargestEntryOfEachRow()
        {
            float[] cosines = [0.1f, -0.5f, 0.3f, -0.2f, -0.9f, -0.1f];
            var maxima = new float[2];

            CosineSimilarity.MaxPerRow(cosines, 2, 3, maxima);

            Assert.Equal([0.3f, -0.1f], maxima);
        }

        [Fact]
        public void NoColumns_Throws()
            => Assert.Throws<ArgumentException>(() => CosineSimilarity.MaxPerRow([], 2, 0, new float[2]));
    }

    internal static float[] Gaussian(int rows, int dimension, ulong seed)
    {
        var rng = new Rng(seed);
        var matrix = new float[rows * dimension];
        rng.FillGaussian(matrix);
        return matrix;
    }
}

using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class OrthogonalTests
{
    /// <summary>Largest |V V^T - I| over the vectors that must be orthonormal (rows if rows &lt; cols, else columns), in double.</summary>
    private static double OrthonormalityError(float[] matrix, int rows, int cols)
    {
        bool byRows = rows < cols;
        int count = byRows ? rows : cols, length = byRows ? cols : rows;
        var vectors = new double[count][];
        for (int v = 0; v < count; v++)
        {
            vectors[v] = new double[length];
            for (int e = 0; e < length; e++) vectors[v][e] = byRows ? matrix[v * cols + e] : matrix[e * cols + v];
        }
        double worst = 0;
        for (int a = 0; a < count; a++)
        {
            for (int b = 0; b <= a; b++)
            {
                double dot = 0;
                double[] x = vectors[a], y = vectors[b];
                for (int e = 0; e < length; e++) dot += x[e] * y[e];
                worst = Math.Max(worst, Math.Abs(dot - (a == b ? 1 : 0)));
            }
        }
        return worst;
    }

    private static float[] Filled(int rows, int cols, ulong seed)
    {
        var matrix = new float[rows * cols];
        var rng = new Rng(seed);
        Orthogonal.Fill(matrix, rows, cols, ref rng);
        return matrix;
    }

    [Theory]
    [InlineData(5, 9)]
    [InlineData(9, 5)]
    [InlineData(7, 7)]
    [InlineData(1, 40)]
    [InlineData(40, 1)]
    [InlineData(1, 1)]
    [InlineData(70, 150)]
    [InlineData(150, 70)]
    [InlineData(200, 200)]
    [InlineData(256, 512)]
    public void Fill_GivesOrthonormalRowsOrColumns(int rows, int cols)
    {
        var matrix = Filled(rows, cols, 3);

        Assert.True(OrthonormalityError(matrix, rows, cols) < 1e-5, $"error {OrthonormalityError(matrix, rows, cols):G3}");
    }

    [Theory]
    [InlineData(5, 9)]
    [InlineData(9, 5)]
    [InlineData(70, 150)]
    [InlineData(150, 70)]
    public void Fill_MatchesTheReference(int rows, int cols)
    {
        var expected = new float[rows * cols];
        var referenceRng = new Rng(8);
        OrthogonalReference.Fill(expected, rows, cols, ref referenceRng);

        var actual = Filled(rows, cols, 8);

        AssertClose.Equal(expected, actual, 2e-5, 0, "orthogonal matrix");
    }

    [Fact]
    public void Fill_OnASquareMatrix_MatchesTheReferenceLoosely()
    {
        // A square Gaussian matrix is ill-conditioned (kappa ~ n), so its Q is sensitive to rounding.
        var expected = new float[130 * 130];
        var referenceRng = new Rng(9);
        OrthogonalReference.Fill(expected, 130, 130, ref referenceRng);

        AssertClose.Equal(expected, Filled(130, 130, 9), 1e-3, 0, "orthogonal matrix");
    }

    [Theory]
    [InlineData(6, 11)]
    [InlineData(11, 6)]
    public void Fill_FollowsTorchSignConvention_FirstVectorIsTheNormalisedFirstGaussianVector(int rows, int cols)
    {
        // Given the Gaussian draw Fill starts from (torch: Q * sign(diag R) makes R's diagonal positive)
        var gaussian = new float[rows * cols];
        var clone = new Rng(21);
        clone.FillGaussian(gaussian);

        var matrix = Filled(rows, cols, 21);

        // Then the first row (rows < cols) or first column (rows >= cols) is the first Gaussian one, normalised
        bool byRows = rows < cols;
        int length = byRows ? cols : rows;
        double norm = 0;
        for (int e = 0; e < length; e++) norm += Math.Pow(byRows ? gaussian[e] : gaussian[e * cols], 2);
        for (int e = 0; e < length; e++)
        {
            double expected = (byRows ? gaussian[e] : gaussian[e * cols]) / Math.Sqrt(norm);
            Assert.Equal(expected, byRows ? matrix[e] : matrix[e * cols], 5);
        }
    }

    [Fact]
    public void Fill_SameSeed_IsIdentical_OtherSeedDiffers()
    {
        Assert.Equal(Filled(40, 90, 5), Filled(40, 90, 5));
        Assert.NotEqual(Filled(40, 90, 5), Filled(40, 90, 6));
    }

    [Fact]
    public void Fill_AdvancesTheGeneratorByOneGaussianPerEntry()
    {
        var rng = new Rng(77);
        var clone = new Rng(77);
        Orthogonal.Fill(new float[12 * 7], 12, 7, ref rng);
        clone.FillGaussian(new float[12 * 7]);

        Assert.Equal(clone.NextUInt64(), rng.NextUInt64());
    }

    [Fact]
    public void Fill_EntriesHaveMeanZeroAndVarianceOneOverTheLongSide()
    {
        var matrix = Filled(256, 512, 11);

        double mean = matrix.Average(x => (double)x);
        double variance = matrix.Average(x => (double)x * x) - mean * mean;

        Assert.InRange(mean, -1e-3, 1e-3);
        Assert.Equal(1.0 / 512, variance, 5);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 0)]
    [InlineData(0, 0)]
    public void Fill_EmptyMatrix_DrawsNoRandomNumbers(int rows, int cols)
    {
        // Given a generator and a copy of it
        var rng = new Rng(1);
        var untouched = rng;

        // When an empty matrix is filled
        Orthogonal.Fill([], rows, cols, ref rng);

        // Then the generator was not advanced: whatever is initialised next gets the same numbers
        Assert.Equal(untouched.NextUInt64(), rng.NextUInt64());
        Assert.Equal(untouched.NextGaussian(), rng.NextGaussian());
    }

    [Fact]
    public void Fill_WrongLength_ThrowsNamingTheShape()
    {
        var rng = new Rng(1);
        var exception = Assert.Throws<ArgumentException>(() => Orthogonal.Fill(new float[10], 3, 4, ref rng));
        Assert.Contains("[3, 4]", exception.Message);
    }
}

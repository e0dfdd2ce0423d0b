using Mfr.Metrics;

namespace Mfr.Tests.Metrics;

public sealed class PearsonTests
{
    [Fact]
    public void TextbookData_GivesTheHandComputedValue()
    {
        // dx = (-2,-1,0,1,2), dy = (-2,0,1,0,1): r = 6 / sqrt(10 * 6)
        Assert.Equal(6 / Math.Sqrt(60), Pearson.Correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), 12);
    }

    [Fact]
    public void LargeOffsets_DoNotCostAccuracy()
    {
        // Same data shifted by 1e4 and 2e4 (exact in float): the two-pass formula keeps every digit.
        Assert.Equal(6 / Math.Sqrt(60), Pearson.Correlation([10001, 10002, 10003, 10004, 10005], [20002, 20004, 20005, 20004, 20005]), 12);
    }

    [Fact]
    public void ExactLinearRelation_IsPlusOrMinusOne()
    {
        float[] x = [0.5f, -1, 3, 7, 2];
        Assert.Equal(1.0, Pearson.Correlation(x, x.Select(v => 3 * v + 1).ToArray()), 12);
        Assert.Equal(-1.0, Pearson.Correlation(x, x.Select(v => -0.5f * v).ToArray()), 12);
    }

    [Fact]
    public void ConstantSample_IsNaN()
        => Assert.True(double.IsNaN(Pearson.Correlation([2, 2, 2], [1, 2, 3])));

    [Fact]
    public void FewerThanTwoValues_IsNaN()
    {
        Assert.True(double.IsNaN(Pearson.Correlation([], [])));
        Assert.True(double.IsNaN(Pearson.Correlation([1], [2])));
    }

    [Fact]
    public void DifferentLengths_ThrowsNamingBoth()
    {
        var exception = Assert.Throws<ArgumentException>(() => Pearson.Correlation([1, 2, 3], [1, 2]));
        Assert.Contains("[3]", exception.Message);
        Assert.Contains("[2]", exception.Message);
    }
}

using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

public sealed class RngTests
{
    [Fact]
    public void SameSeedAndStream_GiveSameSequence_OtherStreamDiffers()
    {
        var a = Rng.ForStream(42, 7);
        var b = Rng.ForStream(42, 7);
        var c = Rng.ForStream(42, 8);
        int equalToOther = 0;
        for (int i = 0; i < 100; i++)
        {
            ulong x = a.NextUInt64();
            Assert.Equal(x, b.NextUInt64());
            if (x == c.NextUInt64()) equalToOther++;
        }
        Assert.Equal(0, equalToOther);
    }

    [Fact]
    public void Gaussian_HasUnitMomentsAndUniformHasHalfMean()
    {
        var rng = new Rng(1);
        const int count = 200_000;
        double sum = 0, sumSquares = 0, uniformSum = 0;
        for (int i = 0; i < count; i++)
        {
            double g = rng.NextGaussian();
            sum += g;
            sumSquares += g * g;
            uniformSum += rng.NextFloat();
        }
        Assert.InRange(sum / count, -0.01, 0.01);
        Assert.InRange(sumSquares / count, 0.98, 1.02);
        Assert.InRange(uniformSum / count, 0.497, 0.503);
    }

    [Fact]
    public void NextInt_CoversRangeEvenly()
    {
        var rng = new Rng(3);
        var counts = new int[7];
        for (int i = 0; i < 70_000; i++) counts[rng.NextInt(7)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(43)]
    public void FillDoublesAndFillFloats_GiveTheNumbersOfSuccessiveNextCalls_AndTheSameFinalState(int count)
    {
        // Given two generators in the same state
        var one = Rng.ForStream(5, 9);
        var other = Rng.ForStream(5, 9);
        var doubles = new double[count];
        var floats = new float[count];

        // When one fills and the other draws one at a time
        one.FillDoubles(doubles);
        one.FillFloats(floats);
        var expectedDoubles = Enumerable.Range(0, count).Select(_ => other.NextDouble()).ToArray();
        var expectedFloats = Enumerable.Range(0, count).Select(_ => other.NextFloat()).ToArray();

        // Then the numbers and the following state agree
        Assert.Equal(expectedDoubles, doubles);
        Assert.Equal(expectedFloats, floats);
        Assert.Equal(other.NextUInt64(), one.NextUInt64());
    }
}

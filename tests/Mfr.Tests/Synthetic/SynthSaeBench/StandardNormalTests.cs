using System.Numerics;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Tests.Synthetic.SynthSaeBench;

public sealed class StandardNormalTests
{
    [Theory]
    // Reference values: bisection on Python math.erfc to double precision (AS241 is accurate to about 1e-16).
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.0005, -3.2905267314918953)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(0.9995, 3.2905267314918945)]
    public void InverseCdf_MatchesScipyQuantiles(double probability, double expected)
    {
        // When the quantile is computed
        double actual = StandardNormal.InverseCdf(probability);

        // Then it agrees to 1e-12
        Assert.Equal(expected, actual, 1e-12);
    }

    [Theory]
    [InlineData(1.959963984540054, 0.025)]
    [InlineData(3.2905267314918945, 0.0005)]
    [InlineData(-1.959963984540054, 0.975)]
    [InlineData(0.0, 0.5)]
    public void UpperTail_IsWithinItsDocumentedErrorOfTheExactTail(double x, double expected)
    {
        // Then A&S 26.2.17 is within 7.5e-8 of the exact tail (x chosen at known quantiles)
        Assert.Equal(expected, StandardNormal.UpperTail(x), 7.5e-8);
    }

    [Fact]
    public void VectorUpperTail_AgreesWithTheDoubleFormulaToFloatPrecision()
    {
        // Given standardised thresholds from -4 to 6
        var xs = Enumerable.Range(0, 8 * Vector<float>.Count).Select(i => -4f + 10f * i / (8 * Vector<float>.Count)).ToArray();
        for (int start = 0; start < xs.Length; start += Vector<float>.Count)
        {
            // When evaluated on vector lanes
            var tails = StandardNormal.UpperTail(new Vector<float>(xs, start));

            // Then each lane equals the double formula to float rounding (relative 1e-5 of the tail, or 1e-7 absolute)
            for (int lane = 0; lane < Vector<float>.Count; lane++)
            {
                double expected = StandardNormal.UpperTail((double)xs[start + lane]);
                Assert.True(Math.Abs(tails[lane] - expected) <= Math.Max(1e-7, 1e-5 * expected), $"x {xs[start + lane]}: {tails[lane]} vs {expected}");
            }
        }
    }
}

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
    [Fact]
    public void Fires_WithItsScreen_DecidesEveryLaneAsTheUnscreenedTailTest()
    {
        // Given x from -4 to 12 and, for each, uniforms where the decision is close (just below and above Q(x)), powers of two
        // (where the bit-level log bound is exact), 0, the smallest step of a 24-bit uniform and ordinary values
        var cases = new List<(float U, float X)>();
        for (int i = 0; i <= 1600; i++)
        {
            float x = -4f + i / 100f;
            float tail = StandardNormal.UpperTail(new Vector<float>(x))[0];
            foreach (float u in new[] { tail * (1 - 1e-6f), tail * (1 + 1e-6f), tail, MathF.BitDecrement(tail), 0f, 1f / (1 << 24), 0.5f, 0.25f, 1f / 1024, 0.999f, 0.07f })
                if (u >= 0 && u < 1) cases.Add((u, x));
        }
        var random = new Mfr.Numerics.Rng(11);
        for (int i = 0; i < 20_000; i++) cases.Add(((int)(random.NextUInt64() >> 40) / (float)(1 << 24), -4f + 16f * random.NextFloat()));
        int width = Vector<float>.Count, firing = 0;

        // When they are decided a vector at a time (the last vector partly filled with a far, never-firing case)
        for (int start = 0; start < cases.Count; start += width)
        {
            var us = new float[width];
            var xs = new float[width];
            for (int lane = 0; lane < width; lane++)
                (us[lane], xs[lane]) = start + lane < cases.Count ? cases[start + lane] : (0.9f, 10f);
            var fires = StandardNormal.Fires(new Vector<float>(us), new Vector<float>(xs));

            // Then every lane agrees with u < Q(x) computed without the screen
            for (int lane = 0; lane < width; lane++)
            {
                bool expected = StandardNormal.FiresReference(us[lane], xs[lane]);
                Assert.True(expected == (fires[lane] != 0), $"u {us[lane]:R}, x {xs[lane]:R}: reference {expected}");
                if (expected) firing++;
            }
        }
        Assert.True(firing > 1000, $"only {firing} firing cases");
    }
}

using System.Globalization;
using Mfr.Numerics;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

public sealed class TickGeneratorTests
{
    public sealed class LinearTicks
    {
        [Fact]
        public void MatchesD3DocumentationExamples()
        {
            // d3-array docs (d3js.org/d3-array/ticks): ticks(1, 9, 5) = [2, 4, 6, 8]; ticks(1, 9, 20) = [1, 1.5, ..., 9].
            Assert.Equal([2.0, 4, 6, 8], TickGenerator.LinearTicks(1, 9, 5));
            Assert.Equal(Enumerable.Range(2, 17).Select(i => i / 2.0), TickGenerator.LinearTicks(1, 9, 20));
            Assert.Equal(2, TickGenerator.LinearTickStep(1, 9, 5));
            Assert.Equal(0.5, TickGenerator.LinearTickStep(1, 9, 20));
        }

        [Fact]
        public void ZeroToOne_GivesExactTenths()
        {
            double[] ticks = TickGenerator.LinearTicks(0, 1, 10);

            // Each tick must be the double nearest the decimal (0.3, not 0.30000000000000004 = 3 * 0.1).
            Assert.Equal([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], ticks);
        }

        [Theory]
        [InlineData(0, 7, 5, new[] { 0.0, 1, 2, 3, 4, 5, 6, 7 })] // 7 / 5 = 1.4 < sqrt(2): step 1
        [InlineData(-3, 12, 5, new[] { -2.0, 0, 2, 4, 6, 8, 10, 12 })] // 15 / 5 = 3 in [sqrt(2), sqrt(10)): step 2
        [InlineData(0.99, 1.0, 5, new[] { 0.99, 0.992, 0.994, 0.996, 0.998, 1.0 })] // 0.002
        [InlineData(-0.7, -0.2, 5, new[] { -0.7, -0.6, -0.5, -0.4, -0.3, -0.2 })] // negative only, step 0.1
        [InlineData(0, 50e6, 5, new[] { 0.0, 1e7, 2e7, 3e7, 4e7, 5e7 })]
        [InlineData(1e-5, 5e-5, 4, new[] { 1e-5, 2e-5, 3e-5, 4e-5, 5e-5 })]
        public void HandDerivedRanges(double min, double max, int count, double[] expected)
        {
            Assert.Equal(expected, TickGenerator.LinearTicks(min, max, count));
        }

        [Fact]
        public void SingleValue_GivesThatValue()
        {
            Assert.Equal([3.0], TickGenerator.LinearTicks(3, 3, 5));
            Assert.Equal(0, TickGenerator.LinearTickStep(3, 3, 5));
        }

        [Theory]
        [InlineData(double.NaN, 1)]
        [InlineData(0, double.PositiveInfinity)]
        [InlineData(2, 1)]
        public void BadDomain_Throws(double min, double max)
        {
            Assert.Throws<ArgumentException>(() => TickGenerator.LinearTicks(min, max, 5));
        }

        [Fact]
        public void RandomRanges_AreInsideEvenlySpacedOneTwoFiveAndExactDecimals()
        {
            var rng = new Rng(2024);
            for (int trial = 0; trial < 2000; trial++)
            {
                // Given spans from 1e-9 to 1e9 around offsets of either sign, and 2..12 wanted intervals
                double span = Math.Pow(10, -9 + 18 * rng.NextDouble());
                double min = (rng.NextDouble() - 0.5) * span * 10 * rng.NextDouble();
                int count = 2 + rng.NextInt(11);

                // When
                double[] ticks = TickGenerator.LinearTicks(min, min + span, count);
                double step = TickGenerator.LinearTickStep(min, min + span, count);

                // Then
                string context = $"[{min:R}, {min + span:R}] count {count}";
                Assert.InRange(ticks.Length, (int)(count * 0.6) - 1, (int)(count * 1.6) + 2);
                Assert.All(ticks, t => Assert.InRange(t, min, min + span));
                double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
                Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2, 5 });
                for (int i = 1; i < ticks.Length; i++) Assert.True(Math.Abs(ticks[i] - ticks[i - 1] - step) <= 1e-9 * step, context);
                int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
                foreach (double tick in ticks)
                {
                    // Shortest round-trip text has no more decimals than the step: no 0.30000000000000004.
                    string text = tick.ToString("R", CultureInfo.InvariantCulture);
                    int written = text.Contains('E') ? 0 : text.Split('.').ElementAtOrDefault(1)?.Length ?? 0;
                    Assert.True(written <= decimals, $"{context}: tick {text} has more decimals than the step {step:R}");
                }
            }
        }
    }

    public sealed class NiceDomains
    {
        [Fact]
        public void NiceLinearDomain_MatchesD3Nice()
        {
            // d3.nice(1, 9, 5): tickIncrement 2 -> floor(1/2)*2 = 0, ceil(9/2)*2 = 10.
            Assert.Equal((0.0, 10.0), TickGenerator.NiceLinearDomain(1, 9, 5));
            Assert.Equal((0.1, 0.9), TickGenerator.NiceLinearDomain(0.13, 0.87, 10));
            // -3..12.5: step 2 gives -4..14, whose step is 5, giving -5..15, whose step stays 5 (d3 iterates until stable).
            Assert.Equal((-5.0, 15.0), TickGenerator.NiceLinearDomain(-3, 12.5, 5));
        }

        [Fact]
        public void NiceLinearDomain_ContainsInputAndEndsOnTicks()
        {
            var rng = new Rng(5);
            for (int trial = 0; trial < 500; trial++)
            {
                double min = (rng.NextDouble() - 0.5) * 1000, max = min + 1e-3 + rng.NextDouble() * 100;
                var (niceMin, niceMax) = TickGenerator.NiceLinearDomain(min, max, 6);
                double step = TickGenerator.LinearTickStep(niceMin, niceMax, 6);

                Assert.True(niceMin <= min && niceMax >= max, $"[{min}, {max}] -> [{niceMin}, {niceMax}]");
                Assert.Equal(Math.Round(niceMin / step), niceMin / step, 6);
                Assert.Equal(Math.Round(niceMax / step), niceMax / step, 6);
            }
        }

        [Fact]
        public void NiceLogDomain_RoundsOutToDecades()
        {
            Assert.Equal((0.001, 1000.0), TickGenerator.NiceLogDomain(0.003, 420));
            Assert.Equal((1.0, 1.0), TickGenerator.NiceLogDomain(1, 1));
            Assert.Equal((1e-6, 1.0), TickGenerator.NiceLogDomain(1e-6, 1));
            Assert.Throws<ArgumentException>(() => TickGenerator.NiceLogDomain(0, 1));
        }

        [Theory]
        [InlineData(2.4, 8.3, 2, 10)] // a loss within one decade: not flattened into [1, 10]
        [InlineData(0.31, 8.3, 0.2, 10)]
        [InlineData(0.06, 0.45, 0.05, 0.5)]
        [InlineData(1.5, 1.9, 1, 2)]
        [InlineData(0.003, 420, 0.002, 500)]
        [InlineData(1e-6, 1, 1e-6, 1)]
        public void NiceLogDomainOneTwoFive_RoundsOutToTheNearest1_2Or5TimesAPowerOfTen(double min, double max, double niceMin, double niceMax)
        {
            Assert.Equal((niceMin, niceMax), TickGenerator.NiceLogDomainOneTwoFive(min, max));
        }
    }

    public sealed class Powers
    {
        [Fact]
        public void PowerOfTen_IsTheNearestDoubleToTheDecimal()
        {
            Assert.Equal(0.001, TickGenerator.PowerOfTen(-3));
            Assert.Equal(1e-22, TickGenerator.PowerOfTen(-22));
            Assert.Equal(1e5, TickGenerator.PowerOfTen(5));
            Assert.Equal(1.0, TickGenerator.PowerOfTen(0));
        }

        [Theory]
        [InlineData(1000, 3)]
        [InlineData(999.999, 2)]
        [InlineData(0.001, -3)]
        [InlineData(0.00099999, -4)]
        [InlineData(1e-300, -300)]
        [InlineData(5e15, 15)]
        public void FloorLog10_IsExactAtPowersOfTen(double value, int expected)
        {
            Assert.Equal(expected, TickGenerator.FloorLog10(value));
        }
    }
}

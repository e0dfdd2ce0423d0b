using Mfr.Reports;

namespace Mfr.Tests.Reports;

public sealed class HistogramBinsTests
{
    public sealed class Linear
    {
        [Fact]
        public void FortyBinsOverZeroToOne_EndExactlyAtOne_WithEqualWidths()
        {
            double[] edges = HistogramBins.Linear(0, 1, 40);

            Assert.Equal(41, edges.Length);
            Assert.Equal(0, edges[0]);
            Assert.Equal(1, edges[^1]);
            Assert.All(Enumerable.Range(0, 40), i => Assert.Equal(0.025, edges[i + 1] - edges[i], 12));
        }

        [Fact]
        public void EmptyOrReversedRange_Throws()
        {
            Assert.Throws<ArgumentException>(() => HistogramBins.Linear(1, 1, 4));
            Assert.Throws<ArgumentException>(() => HistogramBins.Linear(0, 1, 0));
        }
    }

    public sealed class Logarithmic
    {
        [Fact]
        public void FourPerDecade_EveryDecadeIsAnExactEdge()
        {
            double[] edges = HistogramBins.Logarithmic(-4, 0, 4);

            Assert.Equal(17, edges.Length);
            Assert.Equal([1e-4, 1e-3, 1e-2, 1e-1, 1], new[] { edges[0], edges[4], edges[8], edges[12], edges[16] });
            Assert.Equal(Math.Pow(10, -3.75), edges[1], 15);
            Assert.All(Enumerable.Range(0, 16), i => Assert.True(edges[i + 1] > edges[i]));
        }
    }

    public sealed class Count
    {
        private static readonly double[] Edges = [0, 0.25, 0.5, 0.75, 1];

        [Fact]
        public void ValueOnAnEdge_StartsThatBin_AndTheLastEdgeBelongsToTheLastBin()
        {
            double[] counts = HistogramBins.Count([0, 0.25, 0.3, 0.5, 0.99, 1], Edges);

            Assert.Equal([1, 2, 1, 2], counts);
        }

        [Fact]
        public void ValuesOutsideTheEdges_AndNaN_AreNotCounted()
        {
            double[] counts = HistogramBins.Count([-0.1, 1.0000001, double.NaN, double.PositiveInfinity, 0.6], Edges);

            Assert.Equal([0, 0, 1, 0], counts);
        }
    }
}

using Mfr.Numerics;
using Mfr.Synthetic;

namespace Mfr.Tests.Synthetic;

public sealed unsafe class WeightedSamplingTests
{
    private static double[] InverseWeights(int count, double decay) => Enumerable.Range(0, count).Select(i => 1.0 / Math.Pow(decay, i)).ToArray();

    public sealed class ExponentialKeys
    {
        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        [InlineData(7)]
        [InlineData(43)]
        [InlineData(101)]
        public void MatchReference_WithinAFewUlp_AndAdvanceTheGeneratorAlike(int count)
        {
            // Given
            var weights = InverseWeights(count, 0.9);
            var fast = Rng.ForStream(3, (ulong)count);
            var reference = fast;
            var keys = new double[count];
            var uniforms = new double[count];
            var expected = new double[count];

            // When
            fixed (double* pw = weights, pk = keys, pu = uniforms)
                WeightedSampling.ExponentialKeys(ref fast, pw, count, pu, pk);
            WeightedSamplingReference.ExponentialKeys(ref reference, weights, expected);

            // Then (Vector256.Log is within 3 ulp of Math.Log)
            for (int i = 0; i < count; i++) Assert.True(Math.Abs(keys[i] - expected[i]) <= 1e-15 * expected[i], $"key {i}: {keys[i]:R} vs {expected[i]:R}");
            Assert.Equal(reference.NextUInt64(), fast.NextUInt64());
        }
    }

    public sealed class SmallestInPositionOrder
    {
        private static int[] Fast(double[] keys, int chosenCount)
        {
            var chosen = new int[keys.Length];
            var scratch = new double[keys.Length + 4];
            var before = (double[])keys.Clone();
            fixed (double* pk = keys, ps = scratch)
            fixed (int* pc = chosen)
                WeightedSampling.SmallestInPositionOrder(pk, keys.Length, chosenCount, ps, pc);
            Assert.Equal(before, keys);
            return chosen[..chosenCount];
        }

        private static int[] Reference(double[] keys, int chosenCount)
        {
            var chosen = new int[chosenCount];
            WeightedSamplingReference.SmallestInPositionOrder(keys, chosen);
            return chosen;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(5)]
        [InlineData(8)]
        [InlineData(43)]
        [InlineData(WeightedSampling.RankCountingLimit)]
        [InlineData(WeightedSampling.RankCountingLimit + 1)]
        [InlineData(300)]
        public void MatchesTheFullSort_ForEveryCount_OnDistinctKeys(int count)
        {
            var rng = new Rng((ulong)count);
            for (int trial = 0; trial < 20; trial++)
            {
                // Given
                var keys = new double[count];
                rng.FillDoubles(keys);
                foreach (int chosenCount in new[] { 0, 1, count / 2, count - 1, count }.Where(c => c >= 0).Distinct())
                {
                    // When / Then
                    Assert.Equal(Reference(keys, chosenCount), Fast(keys, chosenCount));
                }
            }
        }

        [Theory]
        [InlineData(6)]
        [InlineData(43)]
        [InlineData(200)]
        public void BreaksTiesTowardsTheLowerPosition_LikeTheReference(int count)
        {
            var rng = new Rng(17);
            for (int trial = 0; trial < 20; trial++)
            {
                // Given keys from a few values (many ties), including infinities
                var keys = Enumerable.Range(0, count).Select(_ => rng.NextInt(4) switch { 3 => double.PositiveInfinity, int v => v }).ToArray();
                foreach (int chosenCount in new[] { 1, count / 3, count / 2, count - 1, count })
                {
                    // When / Then
                    Assert.Equal(Reference(keys, chosenCount), Fast(keys, chosenCount));
                }
            }
        }

        [Fact]
        public void KeepsTheSmallestKeys_InAscendingPositionOrder()
        {
            // Given
            double[] keys = [5, 0.5, 9, 2, 7, 1];

            // When / Then: the three smallest are 0.5 (1), 1 (5), 2 (3)
            Assert.Equal([1, 3, 5], Fast(keys, 3));
        }
    }
}

using System.Runtime.Intrinsics;
using Mfr.Numerics;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Synthetic;

public sealed unsafe class WeightedSampling512Tests
{
    private static double[] InverseWeights(int count, double decay) => Enumerable.Range(0, count).Select(i => Math.Min(double.MaxValue, 1.0 / Math.Pow(decay, i))).ToArray();

    public sealed class ExponentialKeys
    {
        [KernelTheory("sampler")]
        [InlineData("avx512")]
        public void AreBitwiseTheVector256Keys_OverCountsAndSeeds(string variant)
        {
            Assert.Equal("avx512", variant);
            // Vector512.Log must give bit for bit what Vector256.Log gives (the sample stream must not change); about
            // 2.6 million uniforms over every count up to 101 and keys of decays from 0.5 to 1.
            for (int count = 0; count <= 101; count++)
            {
                foreach (double decay in new[] { 0.5, 0.9, 0.99, 1.0 })
                {
                    var weights = InverseWeights(count, decay);
                    var keys256 = new double[count];
                    var keys512 = new double[count];
                    var uniforms = new double[count];
                    for (ulong seed = 0; seed < 64; seed++)
                    {
                        // Given
                        var rng256 = Rng.ForStream(seed, (ulong)count);
                        var rng512 = rng256;

                        // When
                        fixed (double* pw = weights, pk = keys256, pu = uniforms) WeightedSampling.ExponentialKeys(ref rng256, pw, count, pu, pk);
                        fixed (double* pw = weights, pk = keys512, pu = uniforms) WeightedSampling512.ExponentialKeys(ref rng512, pw, count, pu, pk);

                        // Then
                        Assert.True(keys256.AsSpan().SequenceEqual(keys512), $"count {count}, decay {decay}, seed {seed}");
                        Assert.Equal(rng256.NextUInt64(), rng512.NextUInt64());
                    }
                }
            }
        }

        [KernelTheory("sampler")]
        [InlineData("avx512")]
        public void LogIsBitwiseTheVector256Log_AtTheEdgesOfTheUniformRange(string variant)
        {
            Assert.Equal("avx512", variant);
            // Given: 1 - u for u at 0, the smallest steps above it, around 1/2 and up to the largest u below 1.
            var values = new List<double> { 1.0, 0.5, 0.25, double.Epsilon, 1.0 / (1UL << 53) };
            for (int i = 1; i <= 64; i++) values.Add(1.0 - i / (double)(1UL << 53));
            for (int i = 1; i <= 64; i++) values.Add(i / (double)(1UL << 53));
            for (int i = -32; i <= 32; i++) values.Add(0.5 + i / (double)(1UL << 53));
            while (values.Count % 8 != 0) values.Add(0.75);

            // When / Then
            for (int i = 0; i < values.Count; i += 8)
            {
                var x = Vector512.Create(values.GetRange(i, 8).ToArray());
                var wide = Vector512.Log(x);
                var narrow = Vector512.Create(Vector256.Log(x.GetLower()), Vector256.Log(x.GetUpper()));
                Assert.Equal(narrow.AsUInt64(), wide.AsUInt64());
            }
        }
    }

    public sealed class SmallestInPositionOrder
    {
        [KernelTheory("sampler")]
        [InlineData("avx512")]
        public void ChoosesWhatTheVector256PathChooses_IncludingTies(string variant)
        {
            Assert.Equal("avx512", variant);
            var rng = new Rng(5);
            for (int trial = 0; trial < 4000; trial++)
            {
                // Given: random counts up to past the rank-counting limit, and every fourth trial with tied keys.
                int count = 1 + rng.NextInt(80);
                int chosenCount = rng.NextInt(count + 1);
                var keys = new double[count];
                for (int i = 0; i < count; i++) keys[i] = trial % 4 == 0 ? rng.NextInt(5) : rng.NextDouble();
                var chosen256 = new int[count];
                var chosen512 = new int[count];
                var scratch = new double[count + 8];

                // When
                fixed (double* pk = keys, ps = scratch)
                fixed (int* p256 = chosen256, p512 = chosen512)
                {
                    WeightedSampling.SmallestInPositionOrder(pk, count, chosenCount, ps, p256);
                    WeightedSampling512.SmallestInPositionOrder(pk, count, chosenCount, ps, p512);
                }

                // Then
                Assert.Equal(chosen256[..chosenCount], chosen512[..chosenCount]);
            }
        }
    }
}

using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class Int8SelectEncoderTests
{
    /// <summary>The registered fast variants (<see cref="KernelRegistry.Int8Select"/>).</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("int8select");

    /// <summary>Every micro-kernel, registered or not (the AVX-512 level picks one of two per machine).</summary>
    private static readonly IInt8SelectKernel[] MicroKernels =
    [
        new Int8SelectVectorKernel<Int8MicroKernelPortable>(KernelLevel.Portable, "portable"),
        new Int8SelectVectorKernel<Int8MicroKernelAvx2>(KernelLevel.Avx2, "avx2"),
        new Int8SelectVectorKernel<Int8MicroKernelAvxVnni>(KernelLevel.Avx2, "avx-vnni"),
        new Int8SelectVectorKernel<Int8MicroKernelAvx512Bw>(KernelLevel.Avx512, "avx512bw"),
    ];

    private sealed record Case(float[] Inputs, float[] Weights, float[] Bias, int BatchSize, int InputDim, int LatentCount, int K)
    {
        public override string ToString() => $"B={BatchSize} d={InputDim} h={LatentCount} k={K}";
    }

    private static float[] Gaussian(int length, ulong seed, float scale = 1)
    {
        var data = new float[length];
        new Rng(seed).FillGaussian(data);
        for (int i = 0; i < length; i++) data[i] *= scale;
        return data;
    }

    private static Case RandomCase(int batchSize, int inputDim, int latentCount, int k, ulong seed)
        => new(Gaussian(batchSize * inputDim, seed), Gaussian(latentCount * inputDim, seed + 1000, 1 / MathF.Sqrt(inputDim)), Gaussian(latentCount, seed + 2000, 0.1f), batchSize, inputDim, latentCount, k);

    private static (int[] Indices, float[] Values, long Candidates) Run(Case c, IInt8SelectKernel kernel, int maxThreads = 2)
    {
        // Outputs live inside larger arrays whose tails must stay untouched.
        int n = c.BatchSize * c.K;
        var indices = new int[n + 5];
        var values = new float[n + 5];
        indices.AsSpan(n).Fill(-7);
        values.AsSpan(n).Fill(KernelTestData.Canary);
        using var buffers = new Int8SelectBuffers(c.BatchSize, c.InputDim, c.LatentCount);
        long candidates = Int8SelectEncoder.EncodeWith(c.Inputs, c.Weights, c.Bias, c.BatchSize, c.InputDim, c.LatentCount, c.K, buffers, indices.AsSpan(0, n), values.AsSpan(0, n), kernel, maxThreads);
        Assert.All(indices[n..], canary => Assert.Equal(-7, canary));
        Assert.All(values[n..], canary => Assert.Equal(KernelTestData.Canary, canary));
        return (indices[..n], values[..n], candidates);
    }

    /// <summary>What the fp32 encoder selects: the product (summed in double, rounded once), plus b in fp32, then TopK.</summary>
    private static (int[] Indices, float[] Values) Fp32Encoder(Case c)
    {
        var preActivations = new float[c.BatchSize * c.LatentCount];
        GemmReference.MultiplyTransposed(c.Inputs, c.Weights, c.BatchSize, c.LatentCount, c.InputDim, preActivations);
        for (int b = 0; b < c.BatchSize; b++)
            for (int j = 0; j < c.LatentCount; j++) preActivations[b * c.LatentCount + j] += c.Bias[j];
        var indices = new int[c.BatchSize * c.K];
        var values = new float[c.BatchSize * c.K];
        TopKReference.Select(preActivations, c.BatchSize, c.LatentCount, c.K, indices, values);
        return (indices, values);
    }

    private static void AssertSameAsFp32Encoder(Case c, int[] indices, float[] values, string what)
    {
        var (expectedIndices, expectedValues) = Fp32Encoder(c);
        for (int i = 0; i < expectedIndices.Length; i++)
            Assert.True(expectedIndices[i] == indices[i], $"{what}: index [{i / c.K},{i % c.K}] is {indices[i]}, the fp32 encoder selects {expectedIndices[i]}.");
        // An fp32 dot product in any summation order is within gamma_d sum |x_i w_i| of the exact one (Higham 3.5);
        // the reference's product is exact to half an ulp, so the two differ by at most that plus the ulps of the bias adds.
        double unit = Math.Pow(2, -24), gamma = (c.InputDim + 2) * unit / (1 - (c.InputDim + 2) * unit);
        for (int i = 0; i < expectedIndices.Length; i++)
        {
            int b = i / c.K, j = indices[i];
            double magnitude = Math.Abs(c.Bias[j]);
            for (int p = 0; p < c.InputDim; p++) magnitude += Math.Abs((double)c.Inputs[b * c.InputDim + p] * c.Weights[j * c.InputDim + p]);
            double difference = Math.Abs((double)values[i] - expectedValues[i]);
            Assert.True(difference <= 2 * gamma * magnitude, $"{what}: value [{b},{j}] is {values[i]:R}, fp32 {expectedValues[i]:R}: differs by {difference:G3} > 2 gamma_d sum|x w| = {2 * gamma * magnitude:G3}.");
        }
    }

    private static IEnumerable<Case> AwkwardCases()
    {
        ulong seed = 1;
        foreach (int d in new[] { 1, 3, 4, 5, 16, 17, 33, 70 })
        {
            foreach (int h in new[] { 1, 7, 16, 33, 50 })
            {
                foreach (int k in new[] { 1, 2, h / 3, h - 1, h }.Where(k => k >= 1 && k <= h).Distinct())
                {
                    // 29 rows: not a multiple of any row tile (4, 6, 8) nor of the padding (24).
                    yield return RandomCase(29, d, h, k, seed++);
                }
            }
        }
    }

    [KernelTheory("int8select")]
    [MemberData(nameof(Variants))]
    public void Encode_MatchesReference_OnAwkwardSizes(string variant)
    {
        foreach (var c in AwkwardCases())
        {
            // Given
            var (expectedIndices, expectedValues, _) = Run(c, KernelRegistry.Int8Select.Get("reference"));

            // When
            var (indices, values, _) = Run(c, KernelRegistry.Int8Select.Get(variant));

            // Then: same columns, bit-identical values (the recompute follows the reference's summation order).
            Assert.Equal(expectedIndices, indices);
            Assert.True(expectedValues.Select(BitConverter.SingleToInt32Bits).SequenceEqual(values.Select(BitConverter.SingleToInt32Bits)), $"{variant} {c}: values differ from the reference's.");
        }
    }

    [Fact]
    public void Encode_EveryMicroKernelThisMachineRuns_MatchesReference()
    {
        foreach (var kernel in MicroKernels.Where(kernel => kernel.UnsupportedReason is null))
        {
            foreach (var c in new[] { RandomCase(53, 70, 100, 9, 7), RandomCase(30, 260, 64, 64, 8), RandomCase(25, 1030, 40, 5, 9) })
            {
                // Given
                var (expectedIndices, expectedValues, _) = Run(c, KernelRegistry.Int8Select.Get("reference"));

                // When
                var (indices, values, _) = Run(c, kernel);

                // Then
                Assert.Equal(expectedIndices, indices);
                Assert.Equal(expectedValues, values);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void Encode_SelectsWhatTheFp32EncoderSelects(string variant)
    {
        foreach (var c in new[] { RandomCase(40, 256, 512, 32, 11), RandomCase(12, 1100, 300, 24, 12), RandomCase(20, 64, 96, 1, 13), RandomCase(20, 64, 96, 95, 14) })
        {
            if (KernelVariants.SkipReason("int8select", variant) is not null) return;

            // When
            var (indices, values, _) = Run(c, KernelRegistry.Int8Select.Get(variant));

            // Then
            AssertSameAsFp32Encoder(c, indices, values, $"{variant} {c}");
        }
    }

    /// <summary>Every variant, the reference included.</summary>
    public static TheoryData<string> AllVariants => KernelVariants.All("int8select");

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void Encode_SpecialRows_SelectWhatTheFp32EncoderSelects(string variant)
    {
        if (KernelVariants.SkipReason("int8select", variant) is not null) return;
        // Given: a zero input row, a row with one entry 1e6 times the rest, a row of huge values, tied latents
        // (identical weight rows 3 and 4) and a zero weight row (7).
        var c = RandomCase(6, 40, 24, 5, 21);
        Array.Clear(c.Inputs, 0, 40);
        for (int p = 0; p < 40; p++) c.Inputs[40 + p] *= 1e-3f;
        c.Inputs[40 + 17] = 1e3f;
        for (int p = 0; p < 40; p++) c.Inputs[80 + p] *= 1e30f;
        Array.Copy(c.Weights, 3 * 40, c.Weights, 4 * 40, 40);
        c.Bias[4] = c.Bias[3];
        Array.Clear(c.Weights, 7 * 40, 40);

        // When
        var (indices, values, _) = Run(c, KernelRegistry.Int8Select.Get(variant));

        // Then
        AssertSameAsFp32Encoder(c, indices, values, $"{variant} special rows");
    }

    [Theory]
    [MemberData(nameof(AllVariants))]
    public void Encode_QuantisationErrorAlignedWithAWeightRow_StillSelectsTheFp32Choice(string variant)
    {
        if (KernelVariants.SkipReason("int8select", variant) is not null) return;
        // Given: x = (127, 0.49, ..., 0.49) quantises to (127, 0, ..., 0) (at 127 or 63 levels): its error e_x is 0.49 on
        // every other entry. Latent 0's weights (0, 1, ..., 1) point along e_x, where Cauchy-Schwarz is tight: its true
        // value 63 x 0.49 = 30.87 has the estimate 0. Latent 1 (0.24, 0, ..., 0) is 30.48, estimated exactly (bound 0.93).
        const int d = 64, h = 2;
        var inputs = new float[d];
        inputs[0] = 127;
        for (int p = 1; p < d; p++) inputs[p] = 0.49f;
        var weights = new float[h * d];
        for (int p = 1; p < d; p++) weights[p] = 1;
        weights[d] = 0.24f;
        var c = new Case(inputs, weights, new float[h], 1, d, h, 1);

        // When
        var (indices, values, _) = Run(c, KernelRegistry.Int8Select.Get(variant));

        // Then: a bound 5% short of ||e_x|| ||w|| would leave latent 0 out and pick latent 1.
        AssertSameAsFp32Encoder(c, indices, values, $"{variant} aligned error");
        Assert.Equal(0, indices[0]);
    }

    [KernelTheory("int8select")]
    [MemberData(nameof(Variants))]
    public void Encode_SameOutputForOneAndTwoThreads(string variant)
    {
        // Given
        var c = RandomCase(300, 96, 128, 16, 31);

        // When
        var one = Run(c, KernelRegistry.Int8Select.Get(variant), maxThreads: 1);
        var two = Run(c, KernelRegistry.Int8Select.Get(variant), maxThreads: 2);

        // Then
        Assert.Equal(one.Indices, two.Indices);
        Assert.Equal(one.Values, two.Values);
        Assert.Equal(one.Candidates, two.Candidates);
    }

    [Fact]
    public void Encode_AtTheSyntheticShape_KeepsFewCandidates()
    {
        // Given: the synthetic shape's d, h and k, Gaussian rows, orthogonal weights as an SAE starts.
        const int batchSize = 64, d = 256, h = 512, k = 32;
        var inputs = Gaussian(batchSize * d, 41);
        var weights = new float[h * d];
        var rng = new Rng(42);
        Orthogonal.Fill(weights, h, d, ref rng);
        var c = new Case(inputs, weights, new float[h], batchSize, d, h, k);

        // When
        var (_, _, candidates) = Run(c, KernelRegistry.Int8Select.Get("reference"));

        // Then: the bound leaves well under half the latents to recompute (else int8 cannot pay).
        double perRow = (double)candidates / batchSize;
        Assert.True(perRow >= k && perRow < h / 4.0, $"{perRow:F1} candidates per row of {h} latents (k = {k}).");
    }

    [Fact]
    public void Encode_BuffersOfAnotherShape_Throw()
    {
        // Given
        var c = RandomCase(4, 8, 16, 2, 51);
        using var buffers = new Int8SelectBuffers(4, 8, 17);

        // When
        var error = Assert.Throws<ArgumentException>(() => Int8SelectEncoder.Encode(c.Inputs, c.Weights, c.Bias, 4, 8, 16, 2, buffers, new int[8], new float[8]));

        // Then
        Assert.Contains("h 17", error.Message);
    }
}

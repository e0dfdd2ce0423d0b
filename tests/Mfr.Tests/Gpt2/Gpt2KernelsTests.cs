using System.Numerics;
using Mfr.Gpt2;
using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Gpt2;

/// <summary>Every registered GPT-2 variant against the scalar references over awkward lengths (STYLE.md 4).</summary>
public sealed class Gpt2KernelsTests
{
    private static readonly int[] LengthValues = AwkwardLengths();

    /// <summary>The fast GPT-2 variants (<see cref="KernelRegistry.Gpt2"/>) at awkward lengths.</summary>
    public static TheoryData<string, int> Lengths => KernelVariants.Fast("gpt2", LengthValues);

    /// <summary>Every GPT-2 variant, the reference included, at awkward lengths.</summary>
    public static TheoryData<string, int> AllVariantLengths => KernelVariants.All("gpt2", LengthValues);

    /// <summary>Every GPT-2 variant, the reference included.</summary>
    public static TheoryData<string> AllVariants => KernelVariants.All("gpt2");

    private static int[] AwkwardLengths()
    {
        int width = Vector<float>.Count;
        return new[] { 0, 1, 2, width - 1, width, width + 1, 2 * width + 3, 3 * width + 1, 64, 100, 768 + 5 }.Distinct().ToArray();
    }

    private static IGpt2Kernels Kernel(string variant) => KernelRegistry.Gpt2.Get(variant);

    [KernelTheory("gpt2")]
    [MemberData(nameof(Lengths))]
    public void LayerNorm_MatchesReference(string variant, int width)
    {
        // Given three rows with an offset (so mean subtraction matters) and a canary after the output
        const int rows = 3;
        var input = Random(rows * width, seed: 1, scale: 2f, offset: 5f);
        var weight = Random(width, seed: 2, scale: 0.5f, offset: 1f);
        var bias = Random(width, seed: 3, scale: 0.5f, offset: 0f);
        var expected = new float[rows * width + 1];
        var actual = new float[rows * width + 1];
        expected[^1] = actual[^1] = 123f;

        // When
        Gpt2KernelsReference.LayerNorm(input, weight, bias, rows, width, 1e-5f, expected);
        Kernel(variant).LayerNorm(input, weight, bias, rows, width, 1e-5f, actual);

        // Then
        AssertClose.Equal(expected, actual, 2e-5, 2e-5, $"LayerNorm width {width}");
    }

    [KernelTheory("gpt2")]
    [MemberData(nameof(Lengths))]
    public void Gelu_MatchesTanhFormReference(string variant, int length)
    {
        var values = Random(length, seed: 4, scale: 4f, offset: 0f);
        if (length > 2)
        {
            values[0] = -30f;
            values[1] = 30f;
            values[2] = 0f;
        }
        var expected = values.ToArray();
        Gpt2KernelsReference.GeluInPlace(expected);
        Kernel(variant).GeluInPlace(values);
        AssertClose.Equal(expected, values, 1e-6, 1e-5, $"GELU length {length}");
    }

    [KernelTheory("gpt2")]
    [MemberData(nameof(Lengths))]
    public void Softmax_MatchesReference_ZeroesMaskedEntries(string variant, int length)
    {
        if (length == 0) return;
        foreach (int valid in new[] { 1, (length + 1) / 2, length }.Distinct())
        {
            var values = Random(length, seed: 5, scale: 10f, offset: 1000f);
            var expected = values.ToArray();
            Gpt2KernelsReference.SoftmaxInPlace(expected, valid);
            Kernel(variant).SoftmaxInPlace(values, valid);
            AssertClose.Equal(expected, values, 1e-7, 1e-5, $"softmax length {length}, valid {valid}");
            Assert.All(values[valid..], value => Assert.Equal(0f, value));
        }
    }

    [KernelTheory("gpt2")]
    [MemberData(nameof(AllVariantLengths))]
    public void AccumulateLogSumExp_OverSlices_MatchesWholeRowReference(string variant, int length)
    {
        // Given a row of large logits cut into uneven slices (the maximum moves between slices)
        if (length == 0) return;
        var values = Random(length, seed: 6, scale: 20f, offset: 500f);
        float runningMax = float.NegativeInfinity;
        double runningSum = 0;

        // When
        for (int start = 0, slice = 1; start < length; start += slice, slice = slice * 2 + 1)
            Kernel(variant).AccumulateLogSumExp(values.AsSpan(start, Math.Min(slice, length - start)), ref runningMax, ref runningSum);

        // Then
        AssertClose.Equal(Gpt2KernelsReference.LogSumExp(values), runningMax + Math.Log(runningSum), 1e-4, 1e-6, $"log-sum-exp length {length}");
    }

    [KernelTheory("gpt2")]
    [MemberData(nameof(AllVariants))]
    public void AccumulateLogSumExp_OfEqualLargeValues_IsValuePlusLogCount(string variant)
    {
        float runningMax = float.NegativeInfinity;
        double runningSum = 0;
        Kernel(variant).AccumulateLogSumExp([1000f, 1000f, 1000f], ref runningMax, ref runningSum);
        Kernel(variant).AccumulateLogSumExp([1000f], ref runningMax, ref runningSum);
        Assert.Equal(1000 + Math.Log(4), runningMax + Math.Log(runningSum), 4);
    }

    [KernelTheory("gpt2")]
    [MemberData(nameof(AllVariantLengths))]
    public void AddInPlace_AddsEveryElement(string variant, int length)
    {
        var source = Random(length, seed: 7, scale: 1f, offset: 0f);
        var destination = Random(length + 1, seed: 8, scale: 1f, offset: 0f);
        var expected = destination.ToArray();
        for (int i = 0; i < length; i++) expected[i] += source[i];
        Kernel(variant).AddInPlace(source, destination.AsSpan(0, length));
        Assert.Equal(expected, destination);
    }

    [KernelTheory("gpt2")]
    [MemberData(nameof(AllVariants))]
    public void BroadcastRows_CopiesTheBiasIntoEveryRow(string variant)
    {
        // Given
        float[] bias = [1f, -2f, 3.5f];
        var output = new float[7];
        output[^1] = 9f;

        // When
        Kernel(variant).BroadcastRows(bias, 2, output.AsSpan(0, 6));

        // Then
        Assert.Equal([1f, -2f, 3.5f, 1f, -2f, 3.5f, 9f], output);
    }

    private static float[] Random(int length, ulong seed, float scale, float offset)
    {
        var rng = new Rng(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = offset + scale * rng.NextGaussian();
        return values;
    }
}

using System.Numerics;
using BenchmarkDotNet.Attributes;
using Mfr.Gpt2;

namespace Mfr.Bench.Gpt2;

/// <summary>
/// Why Gpt2VectorMath.Exp exists: <see cref="Vector.Exp(Vector{float})"/> is not accelerated in .NET 10 on
/// x64. Also the three kernels built on it, over one attention row / one vocabulary row.
/// </summary>
[ShortRunJob]
public class Gpt2ExpBenchmarks
{
    private readonly float[] input = new float[50257];
    private readonly float[] output = new float[50257];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        for (int i = 0; i < input.Length; i++) input[i] = (float)(rng.NextDouble() * -20);
    }

    [Benchmark(Baseline = true)]
    public void ScalarMathFExp()
    {
        for (int i = 0; i < input.Length; i++) output[i] = MathF.Exp(input[i]);
    }

    [Benchmark]
    public void VectorExp()
    {
        int count = Vector<float>.Count;
        for (int i = 0; i <= input.Length - count; i += count) Vector.Exp(new Vector<float>(input, i)).CopyTo(output, i);
    }

    [Benchmark]
    public void CephesVectorExp()
    {
        int count = Vector<float>.Count;
        for (int i = 0; i <= input.Length - count; i += count) Gpt2VectorMath.Exp(new Vector<float>(input, i)).CopyTo(output, i);
    }

    [Benchmark]
    public double LogSumExpOfVocabularyRow()
    {
        float max = float.NegativeInfinity;
        double sum = 0;
        Gpt2Kernels.AccumulateLogSumExp(input, ref max, ref sum);
        return max + Math.Log(sum);
    }

    [Benchmark]
    public void SoftmaxOf1024Scores()
    {
        input.AsSpan(0, 1024).CopyTo(output);
        Gpt2Kernels.SoftmaxInPlace(output.AsSpan(0, 1024), 1024);
    }

    [Benchmark]
    public void GeluOf3072()
    {
        input.AsSpan(0, 3072).CopyTo(output);
        Gpt2Kernels.GeluInPlace(output.AsSpan(0, 3072));
    }
}

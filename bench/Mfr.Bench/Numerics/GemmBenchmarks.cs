using BenchmarkDotNet.Attributes;
using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary>
/// <see cref="Gemm"/> at the project's shapes (m x n x k; NT = <c>MultiplyTransposed</c>):
/// <c>dotnet run -c Release --project bench/Mfr.Bench -- --filter *GemmBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] a = [], b = [], c = [];
    private int m, n, k;
    private bool transposed;

    [Params("NT 10000x512x256", "NT 1024x4096x4750", "NT 1024x2304x768", "NT 1024x768x3072", "NT 3072x3072x768", "NN 1024x64x1024", "NN 1024x768x768")]
    public string Shape { get; set; } = "NT 10000x512x256";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        transposed = Shape.StartsWith("NT", StringComparison.Ordinal);
        var sizes = Shape[3..].Split('x').Select(int.Parse).ToArray();
        (m, n, k) = (sizes[0], sizes[1], sizes[2]);
        a = new float[(long)m * k];
        b = new float[(long)n * k];
        c = new float[(long)m * n];
        var rng = new Rng(1);
        rng.FillGaussian(a);
        rng.FillGaussian(b);
        Parallelism.MaxThreads = Threads;
    }

    [Benchmark]
    public void Multiply()
    {
        if (transposed) Gemm.MultiplyTransposed(a, b, m, n, k, c);
        else Gemm.Multiply(a, b, m, n, k, c);
    }
}

using BenchmarkDotNet.Attributes;
using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary>
/// <see cref="Gemm"/> at the project's shapes (m x n x k; NT = <c>MultiplyTransposed</c>):
/// <c>dotnet run -c Release --project bench/Mfr.Bench -- --filter *GemmBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks : IDisposable
{
    // 64-byte aligned like the trainer's buffers (STYLE.md 9).
    private AlignedBuffer a = new(0), b = new(0), c = new(0);
    private int m, n, k;
    private bool transposed;

    [Params("NT 10000x512x256", "NT 1024x4096x4750", "NT 1024x2304x768", "NT 1024x768x3072", "NT 3072x3072x768", "NN 1024x64x1024", "NN 1024x768x768")]
    public string Shape { get; set; } = "NT 10000x512x256";

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Each fast variant of the gemm family this machine runs (<see cref="KernelRegistry"/>).</summary>
    [ParamsSource(nameof(Variants))]
    public string Variant { get; set; } = "portable";

    public static IEnumerable<string> Variants => KernelChoice.SupportedFastVariants("gemm");

    [GlobalSetup]
    public void Setup()
    {
        transposed = Shape.StartsWith("NT", StringComparison.Ordinal);
        var sizes = Shape[3..].Split('x').Select(int.Parse).ToArray();
        (m, n, k) = (sizes[0], sizes[1], sizes[2]);
        a = new AlignedBuffer((long)m * k);
        b = new AlignedBuffer((long)n * k);
        c = new AlignedBuffer((long)m * n);
        var rng = new Rng(1);
        rng.FillGaussian(a.Span);
        rng.FillGaussian(b.Span);
        Parallelism.MaxThreads = Threads;
        KernelChoice.Select("gemm", Variant);
    }

    [Benchmark]
    public void Multiply()
    {
        if (transposed) Gemm.MultiplyTransposed(a.Span, b.Span, m, n, k, c.Span);
        else Gemm.Multiply(a.Span, b.Span, m, n, k, c.Span);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
        c.Dispose();
        GC.SuppressFinalize(this);
    }
}

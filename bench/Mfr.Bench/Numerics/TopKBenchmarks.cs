using BenchmarkDotNet.Attributes;
using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary><see cref="TopK.Select"/> at the SAE shapes (rows x columns, k).</summary>
[MemoryDiagnoser]
public class TopKBenchmarks : IDisposable
{
    private AlignedBuffer input = new(0);
    private int[] indices = [];
    private float[] values = [];
    private int rows, columns, k;

    [Params("10000x512 k32", "1024x4096 k60", "500x3072 k30")]
    public string Shape { get; set; } = "10000x512 k32";

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Each fast variant of the topk family this machine runs (<see cref="KernelRegistry"/>).</summary>
    [ParamsSource(nameof(Variants))]
    public string Variant { get; set; } = "portable";

    public static IEnumerable<string> Variants => KernelChoice.SupportedFastVariants("topk");

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split(' ');
        var sizes = parts[0].Split('x').Select(int.Parse).ToArray();
        (rows, columns, k) = (sizes[0], sizes[1], int.Parse(parts[1][1..]));
        input = new AlignedBuffer((long)rows * columns);
        new Rng(3).FillGaussian(input.Span);
        indices = new int[rows * k];
        values = new float[rows * k];
        Parallelism.MaxThreads = Threads;
        KernelChoice.Select("topk", Variant);
    }

    [Benchmark]
    public void Select() => TopK.Select(input.Span, rows, columns, k, indices, values);

    [GlobalCleanup]
    public void Dispose()
    {
        input.Dispose();
        GC.SuppressFinalize(this);
    }
}

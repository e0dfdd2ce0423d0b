using BenchmarkDotNet.Attributes;
using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary><see cref="SparseKernels"/> at the SAE shapes (B samples, k active, d inputs, h latents).</summary>
[MemoryDiagnoser]
public class SparseKernelsBenchmarks : IDisposable
{
    // 64-byte aligned like the trainer's buffers (unaligned rows cost up to 1.6x).
    private AlignedBuffer rows = new(0), vectors = new(0), reconstruction = new(0), gradientA = new(0), gradientB = new(0);
    private float[] values = [], dots = [];
    private int[] indices = [];
    private int b, k, d, h;

    [Params("B10000 k32 d256 h512", "B1024 k60 d4750 h4096", "B500 k30 d768 h3072")]
    public string Shape { get; set; } = "B10000 k32 d256 h512";

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Each fast variant of the sparse family this machine runs (<see cref="KernelRegistry"/>).</summary>
    [ParamsSource(nameof(Variants))]
    public string Variant { get; set; } = "portable";

    public static IEnumerable<string> Variants => KernelChoice.SupportedFastVariants("sparse");

    [GlobalSetup]
    public void Setup()
    {
        var sizes = Shape.Split(' ').Select(part => int.Parse(part.TrimStart('B', 'k', 'd', 'h'))).ToArray();
        (b, k, d, h) = (sizes[0], sizes[1], sizes[2], sizes[3]);
        var rng = new Rng(4);
        rows = new AlignedBuffer((long)h * d);
        rng.FillGaussian(rows.Span);
        var preActivations = new float[(long)b * h];
        rng.FillGaussian(preActivations);
        indices = new int[b * k];
        values = new float[b * k];
        TopK.Select(preActivations, b, h, k, indices, values);
        vectors = new AlignedBuffer((long)b * d);
        rng.FillGaussian(vectors.Span);
        reconstruction = new AlignedBuffer((long)b * d);
        dots = new float[b * k];
        gradientA = new AlignedBuffer((long)h * d);
        gradientB = new AlignedBuffer((long)h * d);
        Parallelism.MaxThreads = Threads;
        KernelChoice.Select("sparse", Variant);
    }

    [Benchmark]
    public void Decode() => SparseKernels.Decode(indices, values, rows.Span, b, k, d, reconstruction.Span);

    [Benchmark]
    public void GatherDots() => SparseKernels.GatherDots(indices, vectors.Span, rows.Span, b, k, d, dots);

    [Benchmark]
    public void ScatterAddPair() => SparseKernels.ScatterAddPair(indices, values, vectors.Span, dots, reconstruction.Span, b, k, d, h, gradientA.Span, gradientB.Span);

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var buffer in new[] { rows, vectors, reconstruction, gradientA, gradientB }) buffer.Dispose();
        GC.SuppressFinalize(this);
    }
}

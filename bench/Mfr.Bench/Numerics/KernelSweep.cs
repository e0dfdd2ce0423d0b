using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary>
/// Stopwatch sweep of every kernel over the project's shapes (SAE synthetic, GPT-2 small, EEG,
/// cosine matrices), with 1 and 2 threads, for each fast variant of the family that this machine runs
/// (<see cref="KernelChoice"/>): <c>dotnet run -c Release --project bench/Mfr.Bench -- sweep [gemm|topk|sparse|adam|all]</c>.
/// Prints medians (the machine is shared; see also the minimum column) and rates.
/// </summary>
internal static class KernelSweep
{
    private static readonly (int M, int N, int K, bool Transposed, string Label)[] GemmShapes =
    [
        (10000, 512, 256, true, "SAE encoder"),
        (1024, 4096, 4750, true, "EEG encoder"),
        (500, 3072, 768, true, "GPT-2 SAE encoder"),
        (1024, 768, 768, true, "GPT-2 attn proj"),
        (1024, 2304, 768, true, "GPT-2 qkv"),
        (1024, 3072, 768, true, "GPT-2 mlp fc"),
        (1024, 768, 3072, true, "GPT-2 mlp proj"),
        (512, 512, 256, true, "cosine h=512"),
        (3072, 3072, 768, true, "cosine h=3072"),
        (1024, 64, 1024, false, "GPT-2 attn P x V (NN)"),
        (1024, 768, 768, false, "NN 1024x768x768"),
        (10000, 256, 512, false, "NN 10000x256x512"),
    ];

    private static readonly (int Rows, int Columns, int K)[] TopKShapes = [(10000, 512, 32), (1024, 4096, 60), (500, 3072, 30)];

    private static readonly (int B, int K, int D, int H)[] SparseShapes = [(10000, 32, 256, 512), (1024, 60, 4750, 4096), (500, 30, 768, 3072)];

    public static void Run(TextWriter output, string which)
    {
        foreach (string line in KernelRegistry.Describe()) output.WriteLine(line);
        output.WriteLine("Kernel sweep, every supported fast variant; median / min of repeats; shared machine: noisy.");
        output.WriteLine($"{"kernel",-26} {"threads",7} {"median ms",10} {"min ms",9} {"rate",16}");
        int maxThreads = Parallelism.MaxThreads;
        try
        {
            if (which is "all" or "gemm") Gemm(output);
            if (which is "all" or "topk") TopKs(output);
            if (which is "all" or "sparse") Sparse(output);
            if (which is "all" or "adam") Adams(output);
        }
        finally
        {
            Parallelism.MaxThreads = maxThreads;
        }
    }

    /// <summary>64-byte aligned like the trainer's buffers; never freed (the sweep is a short-lived process).</summary>
    private static AlignedBuffer Gaussian(long length, ulong seed)
    {
        var data = new AlignedBuffer(length);
        new Rng(seed).FillGaussian(data.Span);
        return data;
    }

    private static AlignedBuffer Zeros(long length) => new(length);

    /// <summary>Times <paramref name="body"/> with 1 and 2 threads under each fast variant of <paramref name="family"/>.</summary>
    private static void ForThreads(TextWriter output, string family, string name, Action body, double work, string unit, double seconds = 1.0)
        => KernelChoice.ForEachVariant(output, family, variant =>
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxThreads = threads;
                KernelTimings.Report(output, $"{name} {variant}", threads, KernelTimings.Measure(body, seconds), work, unit);
            }
        });

    private static void Gemm(TextWriter output)
    {
        foreach (var (m, n, k, transposed, label) in GemmShapes)
        {
            var a = Gaussian((long)m * k, 1);
            var b = Gaussian((long)n * k, 2);
            var c = Zeros((long)m * n);
            Action body = transposed ? () => Mfr.Numerics.Gemm.MultiplyTransposed(a.Span, b.Span, m, n, k, c.Span) : () => Mfr.Numerics.Gemm.Multiply(a.Span, b.Span, m, n, k, c.Span);
            ForThreads(output, "gemm", $"{label} {m}x{n}x{k}", body, 2.0 * m * n * k, "GFLOP");
        }
    }

    private static void TopKs(TextWriter output)
    {
        foreach (var (rows, columns, k) in TopKShapes)
        {
            var input = Gaussian((long)rows * columns, 3);
            var indices = new int[rows * k];
            var values = new float[rows * k];
            ForThreads(output, "topk", $"TopK {rows}x{columns} k={k}", () => TopK.Select(input.Span, rows, columns, k, indices, values), rows, "rows");
        }
    }

    private static void Sparse(TextWriter output)
    {
        foreach (var (b, k, d, h) in SparseShapes)
        {
            var rows = Gaussian((long)h * d, 4);
            var input = Gaussian((long)b * h, 5);
            var indices = new int[b * k];
            var values = Zeros(b * k);
            TopK.Select(input.Span, b, h, k, indices, values.Span);
            var vectors = Gaussian((long)b * d, 6);
            var output2 = Zeros((long)b * d);
            var dots = Zeros(b * k);
            var gradientA = Zeros((long)h * d);
            var gradientB = Zeros((long)h * d);
            double flops = 2.0 * b * k * d;
            string shape = $"B={b} k={k} d={d}";
            ForThreads(output, "sparse", $"Decode {shape}", () => SparseKernels.Decode(indices, values.Span, rows.Span, b, k, d, output2.Span), flops, "GFLOP");
            ForThreads(output, "sparse", $"GatherDots {shape}", () => SparseKernels.GatherDots(indices, vectors.Span, rows.Span, b, k, d, dots.Span), flops, "GFLOP");
            ForThreads(output, "sparse", $"ScatterAddPair {shape}", () => SparseKernels.ScatterAddPair(indices, values.Span, vectors.Span, dots.Span, output2.Span, b, k, d, h, gradientA.Span, gradientB.Span), 2 * flops, "GFLOP");
        }
    }

    private static void Adams(TextWriter output)
    {
        foreach (long length in new long[] { 512 * 256, 3072 * 768, 4096L * 4750 })
        {
            var parameters = Gaussian(length, 7);
            var gradients = Gaussian(length, 8);
            var m = Zeros(length);
            var v = Zeros(length);
            long step = 0;
            var settings = new AdamSettings(1e-4f);
            ForThreads(output, "adam", $"Adam n={length}", () => Adam.Step(parameters.Span, gradients.Span, m.Span, v.Span, settings, ++step), length, "params");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary>
/// Single-thread TopK cost per row at the product's shapes (SAE synthetic h 512 k 32, SynthSAEBench h 1024 k 34,
/// GPT-2 h 3072 k 6..30, EEG h 4096 k 12..60, and k beyond the sorting network): <c>dotnet run -c Release
/// --project bench/Mfr.Bench -- topk-timings [variant]</c> (a variant of <see cref="KernelRegistry.TopK"/>: reference, portable, avx512). Each sample times one call on a block of
/// rows (microseconds, so a busy shared machine rarely preempts it), either cycling through 64
/// blocks of 64 Gaussian rows (streamed from L3/memory, as TopK reads the encoder output) or
/// repeating one block of 64 rows (cached in L2: the compute cost alone; 64 rather than 16 since the AVX-512 variant
/// learns a threshold guess over a call's rows, as it does over the fused encoder's blocks); the minimum over samples
/// is the idle-machine estimate, the median shows the noise.
/// </summary>
internal static class TopKTimings
{
    private const int BlockRows = 64, Blocks = 64, CachedRows = 64;

    private static readonly (int Columns, int K)[] Shapes =
        [(512, 32), (512, 8), (512, 100), (1024, 34), (3072, 6), (3072, 30), (4096, 12), (4096, 24), (4096, 60), (4096, 100)];

    public static void Run(TextWriter output, ITopKKernel variant)
    {
        output.WriteLine($"TopK per row, 1 thread, variant {KernelVariant.NameOf(variant.Level)} ({variant.Description}); load {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine($"streamed: {Blocks} blocks of {BlockRows} rows in turn (>= 8 MB, as after the encoder GEMM); cached: one block of {CachedRows} rows (<= 1 MB, in L2)");
        output.WriteLine($"{"h",6} {"k",5} {"streamed min",13} {"median",8} {"cached min",11} {"median",8}  (ns/row)");
        foreach (var (columns, k) in Shapes)
        {
            var (streamedMinimum, streamedMedian) = Measure(columns, k, BlockRows, Blocks, variant);
            var (cachedMinimum, cachedMedian) = Measure(columns, k, CachedRows, 1, variant);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{columns,6} {k,5} {streamedMinimum,13:F0} {streamedMedian,8:F0} {cachedMinimum,11:F0} {cachedMedian,8:F0}"));
        }
    }

    /// <summary>Minimum and median ns per row of calls on blocks of <paramref name="rows"/> rows, cycling through <paramref name="blocks"/> blocks.</summary>
    private static (double Minimum, double Median) Measure(int columns, int k, int rows, int blocks, ITopKKernel variant)
    {
        using var input = new AlignedBuffer((long)rows * blocks * columns);
        new Rng(3).FillGaussian(input.Span);
        var indices = new int[rows * k];
        var values = new float[rows * k];
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        for (int sample = 0; total.Elapsed.TotalSeconds < 1.0 || sample < 2 * Blocks; sample++)
        {
            var block = input.Span.Slice(sample % blocks * rows * columns, rows * columns);
            long start = Stopwatch.GetTimestamp();
            TopK.SelectWith(block, rows, columns, k, indices, values, variant, maxThreads: 1);
            // The first pass over the blocks warms up the JIT and the caches.
            if (sample >= Blocks) times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        times.Sort();
        return (times[0] * 1e9 / rows, times[times.Count / 2] * 1e9 / rows);
    }
}

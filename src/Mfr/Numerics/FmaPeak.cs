using System.Diagnostics;
using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>The machine's measured fp32 FMA throughput: what a GEMM could reach at best.</summary>
/// <param name="GflopsPerSecond">Achieved GFLOP/s (2 flops per lane per FMA) over all threads.</param>
/// <param name="Threads">Threads that ran the chains at once.</param>
/// <param name="VectorBits">Width of the vectors used: 512, 256 or 128.</param>
public sealed record FmaPeakResult(double GflopsPerSecond, int Threads, int VectorBits);

/// <summary>
/// Measures the fp32 FMA ceiling of this machine: every thread runs <see cref="Accumulators"/>
/// independent FMA chains in registers (enough to cover the FMA latency times the number of FMA pipes
/// on current x86 cores), so nothing but the FMA units limits it. The encoder product of
/// <c>mfr bench</c> is reported against this figure, so a number measured on one CPU can be read on
/// another: the speed goals of the issues were written on a Zen 5 (about 520 GFLOP/s on 2 cores, full-width
/// 512-bit FMA), while a Zen 4 runs AVX-512 on 256-bit units at about half that.
/// </summary>
public static class FmaPeak
{
    /// <summary>Independent accumulator chains per thread.</summary>
    public const int Accumulators = 12;

    /// <summary>Runs the chains on <paramref name="threads"/> threads for about <paramref name="seconds"/>; returns the best of several rounds.</summary>
    /// <param name="threads">Threads at once (at least 1).</param>
    /// <param name="seconds">Rough measuring time.</param>
    public static FmaPeakResult Measure(int threads, double seconds = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int bits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;
        int lanes = bits / 32;
        const int iterations = 2_000_000;
        var results = new float[threads * Accumulators * lanes];
        Run(results, iterations / 10, threads); // warm-up and JIT
        double best = 0;
        var total = Stopwatch.StartNew();
        do
        {
            long start = Stopwatch.GetTimestamp();
            Run(results, iterations, threads);
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            best = Math.Max(best, 2.0 * Accumulators * lanes * (double)iterations * threads / elapsed / 1e9);
        }
        while (total.Elapsed.TotalSeconds < seconds);
        return new FmaPeakResult(best, threads, bits);
    }

    /// <summary>
    /// Each thread t fills its slice of <paramref name="results"/> (<c>Accumulators x lanes</c> floats)
    /// with the chain <c>a = a * m + c</c> run <paramref name="iterations"/> times from <c>a_0 = index</c>;
    /// see <see cref="ChainReference"/> for the values.
    /// </summary>
    /// <param name="results">Output, <c>[threads, Accumulators, lanes]</c>.</param>
    /// <param name="iterations">FMAs per chain.</param>
    /// <param name="threads">Threads.</param>
    internal static void Run(float[] results, int iterations, int threads)
    {
        int perThread = results.Length / threads;
        var tasks = new Thread[threads - 1];
        for (int t = 1; t < threads; t++)
        {
            int slice = t;
            tasks[t - 1] = new Thread(() => Chains(results.AsSpan(slice * perThread, perThread), slice * perThread, iterations));
            tasks[t - 1].Start();
        }
        Chains(results.AsSpan(0, perThread), 0, iterations);
        foreach (var task in tasks) task.Join();
    }

    /// <summary>The multiplier and addend of every chain (close to a fixed point, so values stay finite).</summary>
    internal const float Multiplier = 0.999f, Addend = 0.001f;

    /// <summary>One chain by the definition: <c>a_0 = start</c>, <c>a_{i+1} = fma(a_i, m, c)</c>.</summary>
    public static float ChainReference(float start, int iterations)
    {
        float a = start;
        for (int i = 0; i < iterations; i++) a = MathF.FusedMultiplyAdd(a, Multiplier, Addend);
        return a;
    }

    private static void Chains(Span<float> slice, int firstIndex, int iterations)
    {
        if (Vector512.IsHardwareAccelerated) Chains512(slice, firstIndex, iterations);
        else if (Vector256.IsHardwareAccelerated) Chains256(slice, firstIndex, iterations);
        else Chains128(slice, firstIndex, iterations);
    }

    // Twelve named accumulators, not an array, so the JIT keeps every chain in a register.
    private static void Chains512(Span<float> slice, int firstIndex, int iterations)
    {
        int lanes = Vector512<float>.Count;
        Vector512<float> Start(int chain) => Vector512.Create((float)(firstIndex + chain * lanes)) + Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var m = Vector512.Create(Multiplier);
        var c = Vector512.Create(Addend);
        Vector512<float> a0 = Start(0), a1 = Start(1), a2 = Start(2), a3 = Start(3), a4 = Start(4), a5 = Start(5);
        Vector512<float> a6 = Start(6), a7 = Start(7), a8 = Start(8), a9 = Start(9), a10 = Start(10), a11 = Start(11);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        Vector512<float>[] all = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11];
        for (int chain = 0; chain < Accumulators; chain++) all[chain].CopyTo(slice[(chain * lanes)..]);
    }

    private static void Chains256(Span<float> slice, int firstIndex, int iterations)
    {
        int lanes = Vector256<float>.Count;
        Vector256<float> Start(int chain) => Vector256.Create((float)(firstIndex + chain * lanes)) + Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);
        var m = Vector256.Create(Multiplier);
        var c = Vector256.Create(Addend);
        Vector256<float> a0 = Start(0), a1 = Start(1), a2 = Start(2), a3 = Start(3), a4 = Start(4), a5 = Start(5);
        Vector256<float> a6 = Start(6), a7 = Start(7), a8 = Start(8), a9 = Start(9), a10 = Start(10), a11 = Start(11);
        for (int i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, c);
            a1 = Vector256.FusedMultiplyAdd(a1, m, c);
            a2 = Vector256.FusedMultiplyAdd(a2, m, c);
            a3 = Vector256.FusedMultiplyAdd(a3, m, c);
            a4 = Vector256.FusedMultiplyAdd(a4, m, c);
            a5 = Vector256.FusedMultiplyAdd(a5, m, c);
            a6 = Vector256.FusedMultiplyAdd(a6, m, c);
            a7 = Vector256.FusedMultiplyAdd(a7, m, c);
            a8 = Vector256.FusedMultiplyAdd(a8, m, c);
            a9 = Vector256.FusedMultiplyAdd(a9, m, c);
            a10 = Vector256.FusedMultiplyAdd(a10, m, c);
            a11 = Vector256.FusedMultiplyAdd(a11, m, c);
        }
        Vector256<float>[] all = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11];
        for (int chain = 0; chain < Accumulators; chain++) all[chain].CopyTo(slice[(chain * lanes)..]);
    }

    private static void Chains128(Span<float> slice, int firstIndex, int iterations)
    {
        for (int index = 0; index < Accumulators * 4; index++) slice[index] = ChainReference(firstIndex + index, iterations);
    }
}

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

    /// <summary>
    /// A short probe of the FMA rate the kernel threads get right now: <see cref="Measure"/>'s chains, one part per
    /// thread on the <see cref="WorkerPool"/>, started together and timed from the start to the last part's end. On a
    /// shared or throttled machine (a cloud VM whose host is busy) the rate moves from minute to minute; a kernel
    /// timed next to this probe can be read against what the machine gave at that moment, where
    /// <see cref="Measure"/>'s best round is what it gave at its calmest.
    /// </summary>
    /// <remarks>
    /// The parts wait for each other before timing starts, so waking a worker is not counted. Timing many small parts
    /// each by itself instead read up to twice the rate when the host time-sliced the two virtual cores (each part ran
    /// at full speed inside its slice); timing the whole call read 3-12% under <see cref="Measure"/> on a quiet machine.
    /// </remarks>
    /// <param name="threads">Kernel threads (at least 1).</param>
    /// <param name="iterations">FMAs per chain in each thread's part.</param>
    /// <param name="firstChains">When not empty, receives thread part 0's chains (<see cref="Accumulators"/> x lanes values; for tests).</param>
    /// <returns>GFLOP/s of all the threads together, or NaN when the threads did not all start within 50 ms.</returns>
    internal static unsafe double Probe(int threads, int iterations = 200_000, Span<float> firstChains = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int lanes = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;
        long* ticks = stackalloc long[2 * threads];
        new Span<long>(ticks, 2 * threads).Clear();
        int started = 0;
        int chainFloats = Accumulators * 16;
        float* output = stackalloc float[chainFloats * threads];
        var work = new ProbeWork { Output = output, ChainFloats = chainFloats, Iterations = iterations, Started = &started, Parts = threads, Ticks = ticks };
        WorkerPool.Run(ref work, threads, threads);
        if (!firstChains.IsEmpty) new Span<float>(output, Math.Min(firstChains.Length, chainFloats)).CopyTo(firstChains);
        long first = long.MaxValue, last = long.MinValue;
        for (int part = 0; part < threads; part++)
        {
            // A part that gave up waiting (the pool was busy with another caller's job, so parts ran one after another).
            if (ticks[2 * part + 1] == 0) return double.NaN;
            first = Math.Min(first, ticks[2 * part]);
            last = Math.Max(last, ticks[2 * part + 1]);
        }
        double seconds = Math.Max(last - first, 1) / (double)Stopwatch.Frequency;
        return 2.0 * Accumulators * lanes * (double)iterations * threads / seconds / 1e9;
    }

    private unsafe struct ProbeWork : IParallelWork
    {
        public float* Output;
        public long* Ticks;
        public int* Started;
        public int Iterations, Parts, ChainFloats;

        public readonly void Execute(int part)
        {
            // A thread inside its part cannot claim another, so every part runs on its own thread once all have started.
            Interlocked.Increment(ref *Started);
            long giveUp = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20;
            while (Volatile.Read(ref *Started) < Parts)
            {
                if (Stopwatch.GetTimestamp() > giveUp) return;
                Thread.SpinWait(4);
            }
            Ticks[2 * part] = Stopwatch.GetTimestamp();
            float* output = Output + (nint)part * ChainFloats;
            if (Vector512.IsHardwareAccelerated) Chains<VectorOps512, Vector512<float>>(output, part, Iterations);
            else if (Vector256.IsHardwareAccelerated) Chains<VectorOps256, Vector256<float>>(output, part, Iterations);
            else for (int index = 0; index < Accumulators * 4; index++) output[index] = ChainReference(part + index, Iterations);
            Ticks[2 * part + 1] = Stopwatch.GetTimestamp();
        }
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

    private static unsafe void Chains(Span<float> slice, int firstIndex, int iterations)
    {
        fixed (float* output = slice)
        {
            if (Vector512.IsHardwareAccelerated) Chains<VectorOps512, Vector512<float>>(output, firstIndex, iterations);
            else if (Vector256.IsHardwareAccelerated) Chains<VectorOps256, Vector256<float>>(output, firstIndex, iterations);
            else for (int index = 0; index < Accumulators * 4; index++) output[index] = ChainReference(firstIndex + index, iterations);
        }
    }

    // Twelve named accumulators, not an array, so the JIT keeps every chain in a register.
    private static unsafe void Chains<TOps, TVector>(float* output, int firstIndex, int iterations)
        where TOps : struct, IVectorOps<TVector>
        where TVector : struct
    {
        int lanes = TOps.Count;
        float* starts = stackalloc float[Accumulators * lanes];
        for (int index = 0; index < Accumulators * lanes; index++) starts[index] = firstIndex + index;
        var m = TOps.Broadcast(Multiplier);
        var c = TOps.Broadcast(Addend);
        TVector a0 = TOps.Load(starts), a1 = TOps.Load(starts + lanes), a2 = TOps.Load(starts + 2 * lanes), a3 = TOps.Load(starts + 3 * lanes);
        TVector a4 = TOps.Load(starts + 4 * lanes), a5 = TOps.Load(starts + 5 * lanes), a6 = TOps.Load(starts + 6 * lanes), a7 = TOps.Load(starts + 7 * lanes);
        TVector a8 = TOps.Load(starts + 8 * lanes), a9 = TOps.Load(starts + 9 * lanes), a10 = TOps.Load(starts + 10 * lanes), a11 = TOps.Load(starts + 11 * lanes);
        for (int i = 0; i < iterations; i++)
        {
            a0 = TOps.MultiplyAdd(a0, m, c);
            a1 = TOps.MultiplyAdd(a1, m, c);
            a2 = TOps.MultiplyAdd(a2, m, c);
            a3 = TOps.MultiplyAdd(a3, m, c);
            a4 = TOps.MultiplyAdd(a4, m, c);
            a5 = TOps.MultiplyAdd(a5, m, c);
            a6 = TOps.MultiplyAdd(a6, m, c);
            a7 = TOps.MultiplyAdd(a7, m, c);
            a8 = TOps.MultiplyAdd(a8, m, c);
            a9 = TOps.MultiplyAdd(a9, m, c);
            a10 = TOps.MultiplyAdd(a10, m, c);
            a11 = TOps.MultiplyAdd(a11, m, c);
        }
        TOps.Store(a0, output);
        TOps.Store(a1, output + lanes);
        TOps.Store(a2, output + 2 * lanes);
        TOps.Store(a3, output + 3 * lanes);
        TOps.Store(a4, output + 4 * lanes);
        TOps.Store(a5, output + 5 * lanes);
        TOps.Store(a6, output + 6 * lanes);
        TOps.Store(a7, output + 7 * lanes);
        TOps.Store(a8, output + 8 * lanes);
        TOps.Store(a9, output + 9 * lanes);
        TOps.Store(a10, output + 10 * lanes);
        TOps.Store(a11, output + 11 * lanes);
    }
}

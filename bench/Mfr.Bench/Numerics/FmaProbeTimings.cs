using System.Globalization;
using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary>
/// How the short FMA probe `mfr bench` runs after each step (<see cref="FmaPeak.Probe"/>) reads against the peak
/// benchmark (<see cref="FmaPeak.Measure"/>): <c>Mfr.Bench fma-probe [ROUNDS]</c> prints, per round, the benchmark's
/// best rate, then the minimum, median and maximum of 30 probes, then the benchmark again. On a quiet machine the
/// probes' median should sit within a few percent of the benchmark; on a busy host both fall together.
/// </summary>
internal static class FmaProbeTimings
{
    public static void Run(TextWriter output, string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
        int threads = Parallelism.MaxThreads;
        output.WriteLine($"FMA peak benchmark against the per-step probe, {threads} thread(s), GFLOP/s");
        for (int round = 0; round < rounds; round++)
        {
            var before = FmaPeak.Measure(threads, 0.3);
            var probes = Enumerable.Range(0, 30).Select(_ => FmaPeak.Probe(threads)).Where(double.IsFinite).Order().ToArray();
            var after = FmaPeak.Measure(threads, 0.3);
            if (probes.Length == 0)
            {
                output.WriteLine("no probe ran on all threads at once");
                continue;
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"benchmark {before.GflopsPerSecond:F0}, probes min {probes[0]:F0} median {probes[probes.Length / 2]:F0} max {probes[^1]:F0}, benchmark {after.GflopsPerSecond:F0}"));
        }
    }
}

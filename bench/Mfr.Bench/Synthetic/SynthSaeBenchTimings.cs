using System.Diagnostics;
using Mfr.Numerics;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Bench.Synthetic;

/// <summary>
/// `synthsaebench-timings [PRESET] [B] [BATCHES] [THREADS]`: the SynthSAEBench generator alone, batch by batch, on one thread and
/// on all, after a warm-up (so tiered compilation has finished). Prints the median milliseconds per batch, the process's CPU time per batch (less disturbed by other load), and a checksum
/// of every float of the timed batches, so a change to the generator can be checked for an unchanged sample stream.
/// </summary>
internal static class SynthSaeBenchTimings
{
    public static void Run(TextWriter output, string[] args)
    {
        string preset = args.Length > 0 ? args[0] : SynthSaeBenchConfig.ScaledName;
        int batchSize = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1024;
        int batches = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 40;
        var source = SynthSaeBenchSource.Open(SynthSaeBenchConfig.Preset(preset));
        var batch = new float[(long)batchSize * source.Dimension];
        output.WriteLine($"{source.Description}, B {batchSize}");
        int[] threadCounts = args.Length > 3 ? [int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)] : [.. new[] { 1, Parallelism.MaxThreads }.Distinct()];
        foreach (int threads in threadCounts)
        {
            for (int i = 0; i < 30; i++) source.ReadBatchWith(1000 + i, batchSize, batch, threads);
            var times = new double[batches];
            ulong checksum = 14695981039346656037UL;
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < batches; i++)
            {
                long start = Stopwatch.GetTimestamp();
                source.ReadBatchWith(i, batchSize, batch, threads);
                times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                foreach (float value in batch) checksum = (checksum ^ (uint)BitConverter.SingleToInt32Bits(value)) * 1099511628211UL;
            }
            double cpuMilliseconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / batches;
            Array.Sort(times);
            output.WriteLine($"{threads} thread(s): median {times[batches / 2]:F2} ms per batch, min {times[0]:F2}, process CPU {cpuMilliseconds:F2} ms per batch (checksum included); checksum {checksum:x16}");
        }
    }
}

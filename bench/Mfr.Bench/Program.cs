using BenchmarkDotNet.Running;
using Mfr.Bench.Numerics;
using Mfr.Numerics;

// `timings`: the quick Stopwatch table (what `mfr bench` prints); `sweep [kernel]`: Stopwatch sweep of
// every kernel over the SAE, GPT-2, EEG and cosine shapes; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "timings")
{
    KernelTimings.Run(Console.Out);
    return;
}
if (args.Length > 0 && args[0] == "sweep")
{
    KernelSweep.Run(Console.Out, args.Length > 1 ? args[1] : "all");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

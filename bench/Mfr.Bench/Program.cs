using BenchmarkDotNet.Running;

// Stopwatch harnesses that take minutes per measurement run outside BenchmarkDotNet.
if (args is ["gpt2-timings", ..])
{
    Mfr.Gpt2.Gpt2Timings.Run(Console.Out, args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "mfr-gpt2-small-random"),
        sequenceLength: args.Length > 2 ? int.Parse(args[2]) : 1024);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

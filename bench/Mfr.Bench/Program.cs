using BenchmarkDotNet.Running;

// Stopwatch harness (minutes at h = 3072, mostly computing the cosine matrices) outside BenchmarkDotNet.
if (args is ["assignment-timings", ..])
{
    Mfr.Matching.AssignmentTimings.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

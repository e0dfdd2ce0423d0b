namespace Mfr.Numerics;

/// <summary>
/// How many threads the kernels use. The default is every core; the environment variable
/// <c>MFR_THREADS</c> or <see cref="MaxThreads"/> overrides it (benchmarks measure 1 and 2 threads).
/// </summary>
public static class Parallelism
{
    private static int maxThreads = ReadDefault();

    /// <summary>Maximum worker threads for one kernel call (at least 1).</summary>
    public static int MaxThreads
    {
        get => maxThreads;
        set => maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one thread.");
    }

    private static int ReadDefault()
    {
        string? text = Environment.GetEnvironmentVariable("MFR_THREADS");
        return int.TryParse(text, out int threads) && threads >= 1 ? threads : Environment.ProcessorCount;
    }

    /// <summary>Options for Parallel.For limited to <see cref="MaxThreads"/>.</summary>
    public static ParallelOptions Options => new() { MaxDegreeOfParallelism = maxThreads };
}

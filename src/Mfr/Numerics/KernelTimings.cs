using System.Diagnostics;
using System.Globalization;

namespace Mfr.Numerics;

/// <summary>
/// A quick Stopwatch harness for the hot kernels at the synthetic SAE shape (SPEC section 3:
/// B = 10000 samples, d = 256, h = 512, k = 32), for <c>mfr bench</c>: the encoder product, TopK,
/// decode, gather-dots, the paired weight-gradient scatter and an AdamW step on W. Each kernel is
/// timed with 1 thread and with <see cref="Parallelism.MaxThreads"/>, repeated for about a second;
/// the median is printed (medians, because the machine may be shared and timings are noisy), with
/// the minimum and the rate. Takes about 15 s. BenchmarkDotNet classes in bench/Mfr.Bench cover more
/// shapes.
/// </summary>
public static class KernelTimings
{
    private const int SampleCount = 10_000, InputDim = 256, LatentCount = 512, ActiveCount = 32;

    /// <summary>Times the kernels and writes one line per kernel and thread count to <paramref name="output"/>.</summary>
    /// <param name="output">Where the table goes.</param>
    public static void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var data = new TimingData();
        int maxThreads = Parallelism.MaxThreads;
        foreach (string line in KernelRegistry.Describe()) output.WriteLine(line);
        output.WriteLine($"Kernel timings (B={SampleCount}, d={InputDim}, h={LatentCount}, k={ActiveCount}; median of repeats, machine load makes them noisy)");
        output.WriteLine($"{"kernel",-26} {"threads",7} {"median ms",10} {"min ms",9} {"rate",16}");
        try
        {
            foreach (int threads in maxThreads > 1 ? new[] { 1, maxThreads } : new[] { 1 })
            {
                Parallelism.MaxThreads = threads;
                foreach (var kernel in data.Kernels()) Report(output, kernel.Name, threads, Measure(kernel.Body, 1.0), kernel.Work, kernel.Unit);
            }
        }
        finally
        {
            Parallelism.MaxThreads = maxThreads;
        }
    }

    /// <summary>Runs <paramref name="body"/> once to warm up, then repeatedly for about <paramref name="seconds"/> (at least 5 times); returns the sorted times in seconds.</summary>
    internal static double[] Measure(Action body, double seconds)
    {
        body();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || (total.Elapsed.TotalSeconds < seconds && times.Count < 2000))
        {
            long start = Stopwatch.GetTimestamp();
            body();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        times.Sort();
        return [.. times];
    }

    /// <summary>Writes one result line: median, minimum and work per second at the median.</summary>
    internal static void Report(TextWriter output, string name, int threads, double[] sortedTimes, double work, string unit)
    {
        double median = sortedTimes[sortedTimes.Length / 2], minimum = sortedTimes[0];
        string rate = unit == "GFLOP" ? $"{work / median / 1e9:F1} GFLOP/s" : $"{work / median / 1e6:F1} M{unit}/s";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {threads,7} {median * 1e3,10:F3} {minimum * 1e3,9:F3} {rate,16}"));
    }

    /// <summary>Buffers of one synthetic training step, chained like the real step (TopK reads the encoder output, and so on).</summary>
    private sealed class TimingData
    {
        // 64-byte aligned like the trainer's buffers (STYLE.md 9); unaligned rows cost up to 1.6x.
        private readonly AlignedBuffer inputs = new(SampleCount * InputDim);
        private readonly AlignedBuffer weights = new(LatentCount * InputDim);
        private readonly AlignedBuffer preActivations = new(SampleCount * LatentCount);
        private readonly int[] indices = new int[SampleCount * ActiveCount];
        private readonly AlignedBuffer values = new(SampleCount * ActiveCount);
        private readonly AlignedBuffer reconstruction = new(SampleCount * InputDim);
        private readonly AlignedBuffer dots = new(SampleCount * ActiveCount);
        private readonly AlignedBuffer gradientA = new(LatentCount * InputDim);
        private readonly AlignedBuffer gradientB = new(LatentCount * InputDim);
        private readonly AlignedBuffer firstMoment = new(LatentCount * InputDim);
        private readonly AlignedBuffer secondMoment = new(LatentCount * InputDim);
        private readonly AdamSettings settings = new(1e-4f);

        public TimingData()
        {
            var rng = new Rng(20240601);
            rng.FillGaussian(inputs.Span);
            // Orthogonal rows, as an SAE starts (SPEC 1): with plain Gaussian rows the row norms spread and a few
            // latents win most TopK slots, which skews the sparse kernels' work per latent unlike training.
            Orthogonal.Fill(weights.Span, LatentCount, InputDim, ref rng);
            Gemm.MultiplyTransposed(inputs.Span, weights.Span, SampleCount, LatentCount, InputDim, preActivations.Span);
            TopK.Select(preActivations.Span, SampleCount, LatentCount, ActiveCount, indices, values.Span);
        }

        public IEnumerable<(string Name, Action Body, double Work, string Unit)> Kernels()
        {
            double sparseFlops = 2.0 * SampleCount * ActiveCount * InputDim;
            yield return ("encoder GEMM x W^T", () => Gemm.MultiplyTransposed(inputs.Span, weights.Span, SampleCount, LatentCount, InputDim, preActivations.Span), 2.0 * SampleCount * LatentCount * InputDim, "GFLOP");
            yield return ("TopK", () => TopK.Select(preActivations.Span, SampleCount, LatentCount, ActiveCount, indices, values.Span), SampleCount, "rows");
            yield return ("Decode", () => SparseKernels.Decode(indices, values.Span, weights.Span, SampleCount, ActiveCount, InputDim, reconstruction.Span), sparseFlops, "GFLOP");
            yield return ("GatherDots", () => SparseKernels.GatherDots(indices, inputs.Span, weights.Span, SampleCount, ActiveCount, InputDim, dots.Span), sparseFlops, "GFLOP");
            yield return ("ScatterAddPair", () => SparseKernels.ScatterAddPair(indices, values.Span, inputs.Span, dots.Span, reconstruction.Span, SampleCount, ActiveCount, InputDim, LatentCount, gradientA.Span, gradientB.Span), 2 * sparseFlops, "GFLOP");
            long step = 0;
            yield return ("Adam step (h x d)", () => Adam.Step(weights.Span, gradientA.Span, firstMoment.Span, secondMoment.Span, settings, ++step), LatentCount * InputDim, "params");
        }
    }
}

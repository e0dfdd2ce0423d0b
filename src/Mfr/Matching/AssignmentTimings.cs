using System.Diagnostics;
using Mfr.Numerics;

namespace Mfr.Matching;

/// <summary>
/// Stopwatch harness for the exact assignment on MMCS-sized cosine matrices (used by <c>mfr bench</c>
/// and the benchmark project). Two kinds of square problems at each size h: <c>random</c>, the
/// cosines between two independent sets of random unit vectors (the hard case: no structure, the
/// state of two freshly initialised SAEs), and <c>noisy-copy</c>, where the second set is a
/// permuted noisy copy of the first (two SAEs that learned similar features). Each is timed cold
/// and warm-started from the optimum of the previous matrix after the second set moved by a small
/// relative perturbation, as between two MFR training steps. Times are medians of wall-clock
/// milliseconds and of process CPU milliseconds (the solver is single-threaded, so on a shared,
/// busy machine the CPU time is the better estimate of the time on an idle core). Kinds <c>cold</c> and <c>warm</c> are the
/// dense solver (<see cref="LinearAssignment"/>), <c>c-cold</c> and <c>c-warm</c> the candidate-list solver
/// (<see cref="CandidateAssignment"/>), checked to reach the same total.
/// </summary>
public static class AssignmentTimings
{
    /// <summary>Runs the default cases (h = 512 with d = 256, h = 3072 with d = 768) and writes one line per measurement.</summary>
    /// <param name="output">Where the table goes.</param>
    public static void Run(TextWriter output) => Run(output, [(512, 256), (3072, 768)], [1e-3, 1e-2], steps: 4);

    /// <summary>Runs the given cases.</summary>
    /// <param name="output">Where the table goes.</param>
    /// <param name="sizes">(latents h, dimension d) pairs.</param>
    /// <param name="perturbations">Relative size of the per-step change of each vector (noise norm / vector norm).</param>
    /// <param name="steps">Perturbation steps timed per case (the median is reported).</param>
    public static void Run(TextWriter output, IReadOnlyList<(int Latents, int Dimension)> sizes, IReadOnlyList<double> perturbations, int steps)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(perturbations);
        if (steps < 1) throw new ArgumentException($"Need at least one step, got {steps}.");
        output.WriteLine($"# exact assignment (maximise total cosine); solver single-threaded; median of {steps} step(s)");
        output.WriteLine("case                              kind    wall_ms   cpu_ms  freed  row_reductions  augmentations  relaxed_rows  mean_cosine");
        WarmUp();
        foreach (var (latents, dimension) in sizes)
        {
            foreach (bool noisyCopy in new[] { false, true })
            {
                foreach (double perturbation in perturbations)
                    RunCase(output, latents, dimension, noisyCopy, perturbation, steps);
            }
        }
    }

    private static void RunCase(TextWriter output, int latents, int dimension, bool noisyCopy, double perturbation, int steps)
    {
        var rng = new Rng(12345);
        var first = RandomUnitRows(latents, dimension, ref rng);
        var second = noisyCopy ? PermutedNoisyCopy(first, latents, dimension, 0.5, ref rng) : RandomUnitRows(latents, dimension, ref rng);
        var cosines = new float[latents * latents];
        CosineSimilarity.Compute(first, second, latents, latents, dimension, cosines);

        var warm = new LinearAssignmentResult();
        var cold = new LinearAssignmentResult();
        var warmWorkspace = new LinearAssignmentWorkspace();
        var coldWorkspace = new LinearAssignmentWorkspace();
        LinearAssignment.MaximizeSimilarity(cosines, latents, latents, warm, warmWorkspace);

        var coldTimes = new double[steps];
        var warmTimes = new double[steps];
        var coldCpuTimes = new double[steps];
        var warmCpuTimes = new double[steps];
        var coldStatistics = new LinearAssignmentStatistics[steps];
        var warmStatistics = new LinearAssignmentStatistics[steps];
        var candidateWarm = new LinearAssignmentResult();
        var candidateCold = new LinearAssignmentResult();
        var candidateWorkspace = new CandidateAssignmentWorkspace();
        warm.CopyTo(candidateWarm);
        var candidateColdTimes = new double[steps];
        var candidateWarmTimes = new double[steps];
        var candidateColdCpuTimes = new double[steps];
        var candidateWarmCpuTimes = new double[steps];
        var candidateColdStatistics = new LinearAssignmentStatistics[steps];
        var candidateWarmStatistics = new LinearAssignmentStatistics[steps];
        double meanCosine = 0;
        for (int step = 0; step < steps; step++)
        {
            Perturb(second, latents, dimension, perturbation, ref rng);
            CosineSimilarity.Compute(first, second, latents, latents, dimension, cosines);

            (warmTimes[step], warmCpuTimes[step]) = Time(() => LinearAssignment.MaximizeSimilarity(cosines, latents, latents, warm, warmWorkspace, warmStart: true));
            warmStatistics[step] = warm.Statistics;
            (coldTimes[step], coldCpuTimes[step]) = Time(() => LinearAssignment.MaximizeSimilarity(cosines, latents, latents, cold, coldWorkspace));
            coldStatistics[step] = cold.Statistics;

            (candidateWarmTimes[step], candidateWarmCpuTimes[step]) = Time(() => CandidateAssignment.MaximizeSimilarity(cosines, latents, latents, candidateWarm, candidateWorkspace, warmStart: true));
            candidateWarmStatistics[step] = candidateWarm.Statistics;
            (candidateColdTimes[step], candidateColdCpuTimes[step]) = Time(() => CandidateAssignment.MaximizeSimilarity(cosines, latents, latents, candidateCold, candidateWorkspace));
            candidateColdStatistics[step] = candidateCold.Statistics;
            if (cold.Total != candidateWarm.Total || cold.Total != candidateCold.Total)
                throw new InvalidOperationException($"Candidate-list totals {candidateWarm.Total:R} (warm) and {candidateCold.Total:R} (cold) differ from the dense optimum {cold.Total:R}.");
            if (Math.Abs(cold.Total - warm.Total) > 1e-6 * Math.Max(1, Math.Abs(cold.Total)))
                throw new InvalidOperationException($"Warm start total {warm.Total:R} differs from the cold optimum {cold.Total:R}.");
            meanCosine = cold.Total / latents;
        }
        string name = $"h={latents} d={dimension} {(noisyCopy ? "noisy-copy" : "random")} dw={perturbation:G2}";
        WriteLine(output, name, "cold", coldTimes, coldCpuTimes, coldStatistics, meanCosine);
        WriteLine(output, name, "warm", warmTimes, warmCpuTimes, warmStatistics, meanCosine);
        WriteLine(output, name, "c-cold", candidateColdTimes, candidateColdCpuTimes, candidateColdStatistics, meanCosine);
        WriteLine(output, name, "c-warm", candidateWarmTimes, candidateWarmCpuTimes, candidateWarmStatistics, meanCosine);
    }

    private static void WriteLine(TextWriter output, string name, string kind, double[] times, double[] cpuTimes, LinearAssignmentStatistics[] statistics, double meanCosine)
    {
        int median = MedianIndex(times);
        var s = statistics[median];
        output.WriteLine(
            $"{name,-33} {kind,-6} {times[median],8:F1} {cpuTimes[MedianIndex(cpuTimes)],8:F1} {s.RowsFreedByWarmStart,6} " +
            $"{s.RowReductionSteps,15} {s.Augmentations,14} {s.RelaxedRows,13} {meanCosine,12:F4}");
    }

    private static int MedianIndex(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        return order[order.Length / 2];
    }

    /// <summary>Wall-clock and process CPU milliseconds of one call.</summary>
    private static (double Wall, double Cpu) Time(Action action)
    {
        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        action();
        double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpuStart).TotalMilliseconds);
    }

    /// <summary>Runs every code path once on a small problem so JIT compilation is not timed.</summary>
    private static void WarmUp()
    {
        var rng = new Rng(1);
        var matrix = new float[96 * 96];
        for (int i = 0; i < matrix.Length; i++) matrix[i] = rng.NextFloat();
        var result = new LinearAssignmentResult();
        var workspace = new LinearAssignmentWorkspace();
        for (int round = 0; round < 3; round++)
        {
            LinearAssignment.MaximizeSimilarity(matrix, 96, 96, result, workspace);
            matrix[round] += 0.5f;
            LinearAssignment.MaximizeSimilarity(matrix, 96, 96, result, workspace, warmStart: true);
        }
    }

    private static float[] RandomUnitRows(int rows, int dimension, ref Rng rng)
    {
        var matrix = new float[rows * dimension];
        rng.FillGaussian(matrix);
        CosineSimilarity.NormalizeRows(matrix, rows, dimension, matrix);
        return matrix;
    }

    /// <summary>Rows of <paramref name="source"/> in a random order plus Gaussian noise of relative norm <paramref name="noise"/>.</summary>
    private static float[] PermutedNoisyCopy(float[] source, int rows, int dimension, double noise, ref Rng rng)
    {
        var copy = new float[source.Length];
        var order = Enumerable.Range(0, rows).ToArray();
        for (int i = rows - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        for (int row = 0; row < rows; row++) source.AsSpan(order[row] * dimension, dimension).CopyTo(copy.AsSpan(row * dimension, dimension));
        Perturb(copy, rows, dimension, noise, ref rng);
        return copy;
    }

    /// <summary>Adds to each unit row Gaussian noise of norm ~<paramref name="relative"/> and renormalises.</summary>
    private static void Perturb(float[] matrix, int rows, int dimension, double relative, ref Rng rng)
    {
        float scale = (float)(relative / Math.Sqrt(dimension));
        for (int i = 0; i < matrix.Length; i++) matrix[i] += scale * rng.NextGaussian();
        CosineSimilarity.NormalizeRows(matrix, rows, dimension, matrix);
    }
}

using System.Diagnostics;
using System.Runtime.Intrinsics;
using Mfr.Data;
using Mfr.Matching;
using Mfr.Numerics;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Bench.Matching;

/// <summary>
/// One assignment refresh of the MFR penalty at the GPT-2 shape (issue 16 item 3: B 500, d 768, h 3072, five SAEs
/// at k 6 12 18 24 30, ten pairs), split into its cosine products and its exact assignments. Trains the ensemble
/// as <c>mfr bench --mode mfr --refresh 25</c> does (synthetic data, seed 1) for 25 steps, prints the in-training
/// refreshes of steps 1 (cold) and 26 (warm), then re-times the step-26 refresh offline on the decoders after step
/// 25: the products, the dense warm-started solver, and the candidate-list solver, each checked to reach the same
/// optimum. The products' floor is their multiply-adds at the FMA peak measured in the same run; the solver's, one read
/// of every cosine matrix (<see cref="ReportReadFloor"/>).
/// Run: <c>dotnet run -c Release --project bench/Mfr.Bench -- refresh-timings [repeats] [no-dense]</c>.
/// </summary>
public static partial class RefreshTimings
{
    private const int BatchSize = 500, Dimension = 768, Latents = 3072, RefreshSteps = 25;
    private static readonly int[] Ks = [6, 12, 18, 24, 30];

    /// <summary>Trains to the second refresh and times it <paramref name="repeats"/> times (medians printed); the dense solver only <paramref name="withDense"/>.</summary>
    public static void Run(TextWriter output, int repeats, bool withDense = true)
    {
        var saes = Ks.Select(k => new SaeConfig(Dimension, Latents, k)).ToArray();
        var mfr = new MfrConfig(MfrMode.Penalty, AssignmentRefreshSteps: RefreshSteps);
        var config = new TrainingConfig(SampleCount: (long)BatchSize * (RefreshSteps + 1), BatchSize: BatchSize, CheckpointEverySteps: 0);
        using var source = DataSources.Open(DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: Dimension, FeatureCount: 2 * Dimension, Seed: 1)));
        var penalty = new MmcsPenalty(mfr, saes);
        using var trainer = new Trainer(config, saes, source, penalty);
        var peak = FmaPeak.Measure(Parallelism.MaxThreads);
        double productFlops = 0;
        var pairs = (from a in Enumerable.Range(0, saes.Length) from b in Enumerable.Range(a + 1, saes.Length - a - 1) select (A: a, B: b)).ToArray();
        foreach (var (a, b) in pairs) productFlops += 2.0 * Latents * Latents * Dimension;
        double floorSeconds = productFlops / (peak.GflopsPerSecond * 1e9);
        output.WriteLine($"# GPT-2 shape refresh: {pairs.Length} pairs of {Latents} x {Latents} cosines over d {Dimension}: {productFlops / 1e9:F1} GFLOP, " +
            $"{floorSeconds * 1000:F0} ms at the in-run FMA peak {peak.GflopsPerSecond:F0} GFLOP/s ({peak.Threads} threads)");

        var initial = trainer.Members.Select(m => m.Sae.Decoder.ToArray()).ToArray();
        trainer.TrainStep();
        Report(output, "training step 1 (cold)", penalty.LastRefresh, floorSeconds);
        // The training's assignments are the dense solver's (cold, on the initial decoders).
        var check = new float[Latents * Latents];
        int differing = 0;
        for (int p = 0; p < pairs.Length; p++)
        {
            Gemm.MultiplyTransposed(initial[pairs[p].A], initial[pairs[p].B], Latents, Latents, Dimension, check);
            if (!LinearAssignment.MaximizeSimilarity(check, Latents, Latents).ColumnForRow.SequenceEqual(penalty.Assignments[p].ColumnForRow)) differing++;
        }
        output.WriteLine($"step 1: {pairs.Length - differing} of {pairs.Length} pairs' assignments equal the dense solver's");
        for (int step = 2; step <= RefreshSteps; step++) trainer.TrainStep();

        // The state the step-26 refresh starts from: the decoders after step 25 and the step-1 assignments.
        var decoders = trainer.Members.Select(m => m.Sae.Decoder.ToArray()).ToArray();
        var starts = penalty.Assignments.Select(r => { var copy = new LinearAssignmentResult(); r.CopyTo(copy); return copy; }).ToArray();

        trainer.TrainStep();
        Report(output, "training step 26 (warm)", penalty.LastRefresh, floorSeconds);

        var cosines = pairs.Select(_ => new float[Latents * Latents]).ToArray();
        var results = pairs.Select(_ => new LinearAssignmentResult()).ToArray();
        var workspaces = pairs.Select(_ => new LinearAssignmentWorkspace()).ToArray();
        var productTimes = new double[repeats];
        var denseTimes = new double[repeats];
        var productProbes = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            productTimes[r] = Time(() =>
            {
                for (int p = 0; p < pairs.Length; p++)
                    Gemm.MultiplyTransposed(decoders[pairs[p].A], decoders[pairs[p].B], Latents, Latents, Dimension, cosines[p]);
            });
            productProbes[r] = FmaPeak.Probe(Parallelism.MaxThreads);
            for (int p = 0; p < pairs.Length; p++) starts[p].CopyTo(results[p]);
            if (!withDense) continue;
            denseTimes[r] = Time(() => Parallel.For(0, pairs.Length, Parallelism.Options, p =>
                LinearAssignment.MaximizeSimilarity(cosines[p], Latents, Latents, results[p], workspaces[p], warmStart: true)));
        }
        var candidateResults = pairs.Select(_ => new LinearAssignmentResult()).ToArray();
        var candidateWorkspaces = pairs.Select(_ => new CandidateAssignmentWorkspace()).ToArray();
        var candidateTimes = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            for (int p = 0; p < pairs.Length; p++) starts[p].CopyTo(candidateResults[p]);
            candidateTimes[r] = Time(() => Parallel.For(0, pairs.Length, Parallelism.Options, p =>
                CandidateAssignment.MaximizeSimilarity(cosines[p], Latents, Latents, candidateResults[p], candidateWorkspaces[p], warmStart: true)));
        }
        for (int p = 0; p < pairs.Length && withDense; p++)
        {
            bool same = results[p].ColumnForRow.SequenceEqual(candidateResults[p].ColumnForRow);
            if (!same || results[p].Total != candidateResults[p].Total)
                output.WriteLine($"  pair {p}: candidate total {candidateResults[p].Total:R} vs dense {results[p].Total:R}, same assignment {same}");
        }
        output.WriteLine($"offline step 26, median of {repeats}: candidate-list solver {Median(candidateTimes) * 1000:F0} ms " +
            $"(full row scans {candidateResults.Sum(r => r.Statistics.FullRowScans)}, rows relaxed {candidateResults.Sum(r => r.Statistics.RelaxedRows)}, augmentations {candidateResults.Sum(r => r.Statistics.Augmentations)}); " +
            $"refresh / products-at-peak {(Median(productTimes) + Median(candidateTimes)) / floorSeconds:F2}");
        var reference = results.Select(r => r.Total).ToArray();
        int freed = results.Sum(r => r.Statistics.RowsFreedByWarmStart);
        long relaxed = results.Sum(r => r.Statistics.RelaxedRows);
        output.WriteLine($"offline step 26, median of {repeats}: products {Median(productTimes) * 1000:F0} ms");
        // The median of the valid probes, as `mfr bench` takes it; the peak benchmark when no probe was valid.
        double probed = StepBenchmark.MedianOfValid(productProbes);
        if (double.IsNaN(probed)) probed = peak.GflopsPerSecond;
        output.WriteLine($"the FMA rate probed right after each products run: median {probed:F0} GFLOP/s; the products at it {productFlops / (probed * 1e9) * 1000:F0} ms");
        ReportReadFloor(output, cosines, repeats, Median(productTimes), Median(candidateTimes), productFlops / (probed * 1e9));
        if (withDense) output.WriteLine($"offline step 26, median of {repeats}: dense warm solver {Median(denseTimes) * 1000:F0} ms " +
            $"(rows freed {freed}, rows relaxed {relaxed}); refresh / products-at-peak {(Median(productTimes) + Median(denseTimes)) / floorSeconds:F2}");
        double warmTotal = 0, coldTotal = 0;
        long warmSteps = 0, coldSteps = 0;
        for (int p = 0; p < pairs.Length; p++)
        {
            var candidate = new LinearAssignmentResult();
            starts[p].CopyTo(candidate);
            var candidateWorkspace = new CandidateAssignmentWorkspace();
            CandidateAssignment.MaximizeSimilarity(cosines[p], Latents, Latents, candidate, candidateWorkspace, warmStart: true);
            double candidateSeconds = double.PositiveInfinity;
            for (int r = 0; r < 3; r++)
            {
                starts[p].CopyTo(candidate);
                candidateSeconds = Math.Min(candidateSeconds, CpuTime(() => CandidateAssignment.MaximizeSimilarity(cosines[p], Latents, Latents, candidate, candidateWorkspace, warmStart: true)));
            }
            var coldCandidate = new LinearAssignmentResult();
            double coldSeconds = double.PositiveInfinity;
            for (int r = 0; r < 3; r++) coldSeconds = Math.Min(coldSeconds, CpuTime(() => CandidateAssignment.MaximizeSimilarity(cosines[p], Latents, Latents, coldCandidate, candidateWorkspace)));
            warmTotal += candidateSeconds;
            coldTotal += coldSeconds;
            warmSteps += candidate.Statistics.RowReductionSteps;
            coldSteps += coldCandidate.Statistics.RowReductionSteps;
            output.WriteLine($"  pair {pairs[p].A}-{pairs[p].B}: single-threaded CPU: candidate lists warm {candidateSeconds * 1000,6:F1} ms (reduction steps {candidate.Statistics.RowReductionSteps,7}, " +
                $"relaxed rows {candidate.Statistics.RelaxedRows,6}, full {candidate.Statistics.FullRowScans,5}), cold {coldSeconds * 1000,6:F1} ms (reduction steps {coldCandidate.Statistics.RowReductionSteps,7}, " +
                $"relaxed rows {coldCandidate.Statistics.RelaxedRows,6}, full {coldCandidate.Statistics.FullRowScans,5})");
            if (!withDense) continue;
            var serial = new LinearAssignmentResult();
            starts[p].CopyTo(serial);
            double seconds = CpuTime(() => LinearAssignment.MaximizeSimilarity(cosines[p], Latents, Latents, serial, new LinearAssignmentWorkspace(), warmStart: true));
            output.WriteLine($"  pair {pairs[p].A}-{pairs[p].B}: single-threaded CPU: dense warm {seconds * 1000,7:F1} ms (freed {serial.Statistics.RowsFreedByWarmStart,5}, " +
                $"relaxed rows {serial.Statistics.RelaxedRows,9}); mean cosine {serial.Total / Latents:F4}");
        }
        output.WriteLine($"candidate lists, single-threaded CPU summed over the pairs (each the fastest of 3): warm {warmTotal * 1000:F0} ms ({warmSteps} reduction steps), cold {coldTotal * 1000:F0} ms ({coldSteps} reduction steps)");
    }

    /// <summary>
    /// The least any exact solver needs after the products: reading each cosine matrix once (every entry can be in the
    /// optimum, so each must be looked at), timed as a vector sum over all of them on the run's threads, one pair per
    /// thread at a time as the refresh's solves run. With the products at the rate they just ran at, it says how much
    /// of the goal's 1.3x is left to the solver, in reads of the matrices (issue 16 item 3). <paramref name="floorSeconds"/>
    /// is the products at the FMA rate probed right after them: on a shared host the run's peak benchmark reads one moment.
    /// </summary>
    private static void ReportReadFloor(TextWriter output, float[][] cosines, int repeats, double productSeconds, double solverSeconds, double floorSeconds)
    {
        var readTimes = new double[Math.Max(3, repeats)];
        var sums = new float[cosines.Length];
        for (int r = 0; r < readTimes.Length; r++)
            readTimes[r] = Time(() => Parallel.For(0, cosines.Length, Parallelism.Options, p => sums[p] = Sum(cosines[p])));
        double read = Median(readTimes);
        double solverBudget = 1.3 * floorSeconds - productSeconds;
        output.WriteLine($"one read of every cosine matrix ({cosines.Length} x {cosines[0].Length * 4L / 1e6:F1} MB, vector sums, median of {readTimes.Length}): {read * 1000:F1} ms; " +
            $"products + that read / products-at-peak {(productSeconds + read) / floorSeconds:F2}; " +
            $"at 1.3x the solver may take {solverBudget * 1000:F0} ms = {solverBudget / read:F1} reads; it took {solverSeconds * 1000:F0} ms = {solverSeconds / read:F1} reads (checksum {sums.Sum():F1})");
    }

    /// <summary>A sum that streams the matrix at memory speed: four independent vector accumulators.</summary>
    private static float Sum(float[] values)
    {
        var span = values.AsSpan();
        int width = Vector512<float>.Count;
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        int i = 0;
        for (; i + 4 * width <= span.Length; i += 4 * width)
        {
            s0 += Vector512.Create<float>(span.Slice(i, width));
            s1 += Vector512.Create<float>(span.Slice(i + width, width));
            s2 += Vector512.Create<float>(span.Slice(i + 2 * width, width));
            s3 += Vector512.Create<float>(span.Slice(i + 3 * width, width));
        }
        float total = Vector512.Sum(s0 + s1 + s2 + s3);
        for (; i < span.Length; i++) total += span[i];
        return total;
    }

    private static void Report(TextWriter output, string name, RefreshTiming timing, double floorSeconds) =>
        output.WriteLine($"{name}: refresh {timing.TotalSeconds * 1000:F0} ms = products {timing.ProductSeconds * 1000:F0} + solver {timing.SolverSeconds * 1000:F0} " +
            $"+ other {(timing.TotalSeconds - timing.ProductSeconds - timing.SolverSeconds) * 1000:F0}; products / floor {timing.ProductSeconds / floorSeconds:F2}, refresh / floor {timing.TotalSeconds / floorSeconds:F2}");

    private static double Time(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// CPU seconds of a single-threaded call on the calling thread (on a busy machine a better estimate of an idle core's
    /// time than the wall clock). On Linux the thread's own clock, so other threads of the process (the GC, idle workers)
    /// do not count; elsewhere the process's CPU time.
    /// </summary>
    private static double CpuTime(Action action)
    {
        if (OperatingSystem.IsLinux())
        {
            double start = ThreadCpuSeconds();
            action();
            return ThreadCpuSeconds() - start;
        }
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        action();
        process.Refresh();
        return (process.TotalProcessorTime - before).TotalSeconds;
    }

    private static unsafe double ThreadCpuSeconds()
    {
        const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID
        long* time = stackalloc long[2];
        if (ClockGetTime(ThreadCpuClock, time) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        return time[0] + time[1] * 1e-9;
    }

    [System.Runtime.InteropServices.LibraryImport("libc.so.6", EntryPoint = "clock_gettime")]
    private static unsafe partial int ClockGetTime(int clock, long* timespec);

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

using System.Globalization;
using Mfr.Experiments;

namespace Mfr.Cli.Rendering;

/// <summary>`mfr bench`'s output: step times, the encoder's rate against the machine's FMA peak, memory, and the time per phase.</summary>
internal static class BenchTables
{
    public static string Render(BenchResult bench)
    {
        var result = bench.Steps;
        var peak = bench.Peak;
        var table = new TextTable("phase", "ms/step");
        foreach (var (phase, milliseconds) in result.PhaseMillisecondsPerStep) table.AddRow(phase.ToString(), milliseconds.ToString("F2", CultureInfo.InvariantCulture));
        int warmup = BenchExperiment.WarmupSteps, half = result.Steps / 2;
        double dataMilliseconds = result.PhaseMillisecondsPerStep.GetValueOrDefault(Sae.StepTimer.Phase.Data);
        // The int8-select path does not form the dense product: its rate is the fp32 product's flops over the path's time.
        string encoder = bench.Config.Encoder == Sae.EncoderPrecision.Int8Select ? "int8-select encoder, as fp32-equivalent" : "encoder product";
        string overlap = bench.MeanMaxOverlap is double rho ? string.Create(CultureInfo.InvariantCulture, $", directions' mean max overlap {rho:F3}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"data: {bench.Data}{overlap}\n" +
            $"data phase: {dataMilliseconds:F2} ms/step, {100 * bench.DataShare:F1}% of the mean step\n" +
            $"median step: {result.MedianStepMilliseconds:F2} ms, mean {result.MeanStepMilliseconds:F2} ms, over {result.Steps} steps ({result.Threads} threads)\n" +
            $"{encoder}: {result.EncoderGflops:F0} GFLOP/s, {100 * result.EncoderGflops / peak.GflopsPerSecond:F0}% of this machine's FMA peak ({peak.GflopsPerSecond:F0} GFLOP/s measured, {peak.Threads} thread(s), {peak.VectorBits}-bit vectors); " +
            $"median step's: {result.EncoderGflopsMedian:F0} GFLOP/s, {100 * result.EncoderGflopsMedian / peak.GflopsPerSecond:F0}%; " +
            $"against the FMA rate probed after each step: {ProbedShare(result.EncoderShareOfAdjacentFmaRate)}\n" +
            $"peak working set: {result.PeakWorkingSetHalfwayBytes / 1048576.0:F1} MB after {warmup + half} steps, {result.PeakWorkingSetEndBytes / 1048576.0:F1} MB after {warmup + result.Steps} ({(long)bench.Config.BatchSize * (warmup + result.Steps):N0} samples)\n") +
            Refreshes(result, peak) + Distributed(result) + table;
    }

    /// <summary>The MFR penalty's assignment refreshes in the timed steps, against their products at the measured peak (issue 16 item 3).</summary>
    private static string Refreshes(Mfr.Training.StepBenchmarkResult result, Mfr.Numerics.FmaPeakResult peak) => result.Refreshes switch
    {
        null => "",
        { Count: 0 } => $"assignment refreshes: none in the {result.Steps} timed steps\n",
        { } r => string.Create(CultureInfo.InvariantCulture,
            $"assignment refreshes: {r.Count} in the {result.Steps} timed steps, {r.MeanMilliseconds:F1} ms each = products {r.MeanProductMilliseconds:F1} + solver {r.MeanSolverMilliseconds:F1} ms; " +
            $"the products' {r.ProductGflopPerRefresh:F1} GFLOP take {r.ProductMillisecondsAtPeak(peak.GflopsPerSecond):F1} ms at the FMA peak above, so a refresh costs {r.OverProductsAtPeak(peak.GflopsPerSecond):F2}x its products at peak " +
            $"({ProbedRatio(r)}); " +
            $"mean step / median step {result.MeanStepMilliseconds / result.MedianStepMilliseconds:F2}\n"),
    };

    /// <summary>
    /// The encoder's share of the FMA rate probed after each step. On a loaded host every probe can fail to start its threads
    /// together (<see cref="Mfr.Training.StepBenchmarkResult.EncoderShareOfAdjacentFmaRate"/> is then NaN): say so instead of "NaN%".
    /// </summary>
    private static string ProbedShare(double share) => double.IsNaN(share)
        ? NoValidProbe
        : string.Create(CultureInfo.InvariantCulture, $"{100 * share:F0}% (median over steps)");

    /// <summary>The refreshes against the FMA rate probed right after each; as <see cref="ProbedShare"/> when no probe was valid.</summary>
    private static string ProbedRatio(Mfr.Training.AssignmentRefreshFigures refreshes)
    {
        int valid = refreshes.OverProductsAtProbedRates.Count(double.IsFinite);
        return valid == 0
            ? $"against the FMA rate probed right after each refresh: {NoValidProbe}"
            : string.Create(CultureInfo.InvariantCulture, $"{refreshes.MedianOverProductsAtProbedRate:F2}x at the FMA rate probed right after each refresh, median of {valid}");
    }

    private const string NoValidProbe = "not measured, no probe ran on all threads at once (a loaded machine)";

    /// <summary>`mfr bench --scaling-rounds N`: each round's median step and FMA peak per thread count, then the medians over rounds.</summary>
    public static string RenderScaling(ThreadScalingResult scaling)
    {
        var table = new TextTable("round", "threads", "median step ms", "step speed-up", "FMA GFLOP/s", "FMA speed-up", "step / FMA speed-up");
        for (int round = 0; round < scaling.Rounds.Count; round++)
            foreach (var point in scaling.Rounds[round])
            {
                bool first = point.Threads == scaling.ThreadCounts[0];
                table.AddRow((round + 1).ToString(CultureInfo.InvariantCulture), point.Threads.ToString(CultureInfo.InvariantCulture),
                    point.MedianStepMilliseconds.ToString("F2", CultureInfo.InvariantCulture),
                    first ? "" : scaling.StepSpeedup(round, point.Threads).ToString("F2", CultureInfo.InvariantCulture),
                    point.FmaGflopsPerSecond.ToString("F0", CultureInfo.InvariantCulture),
                    first ? "" : scaling.FmaSpeedup(round, point.Threads).ToString("F2", CultureInfo.InvariantCulture),
                    first ? "" : (100 * scaling.StepSpeedup(round, point.Threads) / scaling.FmaSpeedup(round, point.Threads)).ToString("F0", CultureInfo.InvariantCulture) + "%");
            }
        var summary = new System.Text.StringBuilder();
        foreach (int threads in scaling.ThreadCounts.Skip(1))
            summary.Append(string.Create(CultureInfo.InvariantCulture,
                $"{threads} threads, median over {scaling.Rounds.Count} round(s): step speed-up {scaling.MedianStepSpeedup(threads):F2}x, the machine's FMA speed-up {scaling.MedianFmaSpeedup(threads):F2}x, the step's share of it {100 * scaling.MedianShareOfFmaSpeedup(threads):F0}%; " +
                $"by phase: {string.Join(", ", scaling.MedianPhaseSpeedups(threads).Select(phase => $"{phase.Key} {phase.Value:F2}x"))}\n"));
        return table + summary.ToString();
    }

    /// <summary>Under mpirun (issue 17): how many ranks shared the ensemble and what rank 0 moved per step.</summary>
    private static string Distributed(Mfr.Training.StepBenchmarkResult result) => result.Ranks == 1 ? "" : string.Create(CultureInfo.InvariantCulture,
        $"MPI: {result.Ranks} ranks share the ensemble; rank 0 sent and received {result.CommunicatedBytesPerStep:N0} bytes per step in collectives, " +
        $"which took {result.CollectiveMillisecondsPerStep:F2} ms per step with the wait for the slowest rank (the figures above are rank 0's)\n");
}

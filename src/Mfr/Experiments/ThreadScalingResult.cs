using Mfr.Sae;

namespace Mfr.Experiments;

/// <summary>
/// `mfr bench --scaling-rounds N` (issue 16 item 7): the median training step at each thread count, round by round, beside
/// the machine's own FMA rate at that count, probed right after each step. A shared or throttled host moves both together,
/// so a step's speed-up is read against the FMA speed-up of the same round rather than against the ideal.
/// </summary>
/// <param name="ThreadCounts">The counts timed, ascending, 1 first.</param>
/// <param name="Rounds">Per round, one point per count in <paramref name="ThreadCounts"/>' order.</param>
public sealed record ThreadScalingResult(IReadOnlyList<int> ThreadCounts, IReadOnlyList<IReadOnlyList<ThreadScalingPoint>> Rounds)
{
    /// <summary>Round <paramref name="round"/>'s step speed-up at <paramref name="threads"/> over 1 thread.</summary>
    public double StepSpeedup(int round, int threads) => Rounds[round][0].MedianStepMilliseconds / Point(round, threads).MedianStepMilliseconds;

    /// <summary>Round <paramref name="round"/>'s FMA peak at <paramref name="threads"/> over its 1-thread peak.</summary>
    public double FmaSpeedup(int round, int threads) => Point(round, threads).FmaGflopsPerSecond / Rounds[round][0].FmaGflopsPerSecond;

    /// <summary>Median over the rounds of the step speed-up at <paramref name="threads"/>.</summary>
    public double MedianStepSpeedup(int threads) => Median(Enumerable.Range(0, Rounds.Count).Select(r => StepSpeedup(r, threads)));

    /// <summary>Median over the rounds of the FMA speed-up at <paramref name="threads"/>.</summary>
    public double MedianFmaSpeedup(int threads) => Median(Enumerable.Range(0, Rounds.Count).Select(r => FmaSpeedup(r, threads)));

    /// <summary>Median over the rounds of the step speed-up as a share of the same round's FMA speed-up.</summary>
    public double MedianShareOfFmaSpeedup(int threads) => Median(Enumerable.Range(0, Rounds.Count).Select(r => StepSpeedup(r, threads) / FmaSpeedup(r, threads)));

    /// <summary>
    /// Median over the rounds of each phase's speed-up at <paramref name="threads"/> over 1 thread (its mean milliseconds per
    /// step at 1 thread over those at <paramref name="threads"/>): where a step stops scaling. A phase is left out when in
    /// any round it took under <see cref="SmallestPhaseShare"/> of the 1-thread mean step (a baseline's regulariser, say),
    /// where its ratio says nothing but timer noise.
    /// </summary>
    public IReadOnlyDictionary<StepTimer.Phase, double> MedianPhaseSpeedups(int threads)
    {
        var speedups = new Dictionary<StepTimer.Phase, double>();
        foreach (var phase in Rounds[0][0].PhaseMillisecondsPerStep.Keys)
        {
            var perRound = Enumerable.Range(0, Rounds.Count)
                .Select(r => (One: Rounds[r][0].PhaseMillisecondsPerStep.GetValueOrDefault(phase), Many: Point(r, threads).PhaseMillisecondsPerStep.GetValueOrDefault(phase), Step: Rounds[r][0].MeanStepMilliseconds))
                .Where(round => round.One >= SmallestPhaseShare * round.Step && round.Many > 0)
                .Select(pair => pair.One / pair.Many)
                .ToArray();
            if (perRound.Length == Rounds.Count) speedups[phase] = Median(perRound);
        }
        return speedups;
    }

    /// <summary>Share of the 1-thread step below which a phase's speed-up is not reported.</summary>
    public const double SmallestPhaseShare = 0.01;

    private ThreadScalingPoint Point(int round, int threads) => Rounds[round].First(point => point.Threads == threads);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>One thread count in one round.</summary>
/// <param name="Threads">Kernel threads.</param>
/// <param name="MedianStepMilliseconds">Median wall time of the timed steps.</param>
/// <param name="MeanStepMilliseconds">Their mean (assignment refreshes included).</param>
/// <param name="FmaGflopsPerSecond">The machine's FMA rate on this many threads while the steps ran: the median of the probes right after each step.</param>
/// <param name="PhaseMillisecondsPerStep">Mean milliseconds per step in each phase.</param>
public sealed record ThreadScalingPoint(int Threads, double MedianStepMilliseconds, double MeanStepMilliseconds, double FmaGflopsPerSecond,
    IReadOnlyDictionary<StepTimer.Phase, double> PhaseMillisecondsPerStep);

namespace Mfr.Consistency;

/// <summary>
/// Consistency of one variant across seeds when each seed trained an ensemble of M SAEs: member m of every seed is
/// compared with member m of the others (<see cref="RunConsistency.Measure"/>: PW-MCC, shared@tau, stability), and the
/// M results are averaged. Members of one ensemble are never compared with each other here: under a coupling they are
/// pulled together, which is agreement the penalty made, not consistency across independent runs (issue 14 part 2).
/// </summary>
/// <param name="RunCount">Seeds (runs) compared, at least 2.</param>
/// <param name="MemberCount">SAEs per run, M.</param>
/// <param name="Thresholds">Cosine thresholds tau of <paramref name="SharedAtThreshold"/> and <paramref name="StableShare"/>.</param>
/// <param name="PwMcc">Mean over members of their PW-MCC (every member has the same number of pairs, so also the mean over all pairs).</param>
/// <param name="PwMccStandardDeviation">Population standard deviation (np.std, as calculate_mutual_mcc) of the pair MCCs of all members together.</param>
/// <param name="SharedAtThreshold">Per threshold, the mean over members of shared@tau.</param>
/// <param name="StableShare">Per threshold, the share of all latents (every run and member) whose stability is 1: a counterpart in every other seed.</param>
/// <param name="MemberPwMcc">Per member m, its PW-MCC across seeds.</param>
public sealed record CrossSeedConsistency(
    int RunCount,
    int MemberCount,
    IReadOnlyList<double> Thresholds,
    double PwMcc,
    double PwMccStandardDeviation,
    IReadOnlyList<double> SharedAtThreshold,
    IReadOnlyList<double> StableShare,
    IReadOnlyList<double> MemberPwMcc)
{
    /// <summary>Per member m, the consistency of member m across the runs.</summary>
    /// <param name="runs">Per run (seed), its members' decoders, each <c>[latentCount, dimension]</c>; every run has the same M.</param>
    /// <param name="latentCount">Latents h of every SAE.</param>
    /// <param name="dimension">Input width d.</param>
    /// <param name="thresholds">Cosine thresholds; <see cref="RunConsistency.DefaultThresholds"/> when null.</param>
    public static IReadOnlyList<ConsistencyMetrics> MeasureMembers(IReadOnlyList<IReadOnlyList<float[]>> runs, int latentCount, int dimension, IReadOnlyList<double>? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count < 2) throw new ArgumentException($"Consistency across seeds needs at least two runs, got {runs.Count}.");
        int members = runs[0].Count;
        if (members < 1 || runs.Any(run => run.Count != members))
            throw new ArgumentException($"Every run needs the same number of SAEs (at least one), got {string.Join(", ", runs.Select(run => run.Count))}.");
        return Enumerable.Range(0, members).Select(m => RunConsistency.Measure(runs.Select(run => run[m]).ToArray(), latentCount, dimension, thresholds)).ToArray();
    }

    /// <summary>The summary of the per-member measurements <see cref="MeasureMembers"/> returns.</summary>
    public static CrossSeedConsistency Of(IReadOnlyList<ConsistencyMetrics> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("Need the consistency of at least one member.");
        var thresholds = members[0].Thresholds;
        var pairs = members.SelectMany(member => member.Pairs.Select(pair => pair.Mcc)).ToArray();
        double mean = pairs.Average();
        double deviation = Math.Sqrt(pairs.Sum(value => (value - mean) * (value - mean)) / pairs.Length);
        var shared = Enumerable.Range(0, thresholds.Count).Select(t => members.Average(member => member.SharedAtThreshold[t])).ToArray();
        var stable = Enumerable.Range(0, thresholds.Count).Select(t =>
        {
            var all = members.SelectMany(member => member.Stability[t]).SelectMany(run => run).ToArray();
            return all.Count(value => value >= 1.0) / (double)all.Length;
        }).ToArray();
        return new CrossSeedConsistency(members[0].RunCount, members.Count, thresholds, mean, deviation, shared, stable, members.Select(member => member.PwMcc).ToArray());
    }

    /// <summary>The value of <paramref name="values"/> (shared@tau or stable share) at cosine <paramref name="threshold"/>; NaN when it was not measured.</summary>
    public double At(IReadOnlyList<double> values, double threshold)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (int t = 0; t < Thresholds.Count; t++)
            if (Math.Abs(Thresholds[t] - threshold) < 1e-9) return values[t];
        return double.NaN;
    }
}

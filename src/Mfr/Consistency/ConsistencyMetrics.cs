namespace Mfr.Consistency;

/// <summary>
/// Consistency of one variant across independent runs (issue 14 part 2): PW-MCC, shared@tau and each latent's
/// stability, from the decoders alone. Applied to the decoders at step 0, the same numbers are the runs' step-0
/// similarity, the baseline a method's final consistency has to be read against (runs that start from the same
/// initialisation look "stable" without learning anything; critique of archetypal SAEs, arXiv 2606.02061).
/// </summary>
/// <param name="RunCount">Runs compared (at least 2).</param>
/// <param name="Thresholds">Cosine thresholds tau of <paramref name="SharedAtThreshold"/> and <paramref name="Stability"/>.</param>
/// <param name="PwMcc">Mean over all pairs of runs of the pair's matched mean cosine (evaluate_mcc.py calculate_mutual_mcc 'mean').</param>
/// <param name="PwMccStandardDeviation">Population standard deviation of the pair values (numpy's np.std, as calculate_mutual_mcc reports).</param>
/// <param name="SharedAtThreshold">Per threshold, the mean over pairs of the share of matched latents with cosine &gt;= tau.</param>
/// <param name="Pairs">Every pair of runs, a &lt; b, in lexicographic order.</param>
/// <param name="Stability">
/// [threshold][run][latent]: the share of the other runs in which the latent's optimal match has cosine &gt;= tau
/// (1 = it has a counterpart in every other run).
/// </param>
public sealed record ConsistencyMetrics(
    int RunCount,
    IReadOnlyList<double> Thresholds,
    double PwMcc,
    double PwMccStandardDeviation,
    IReadOnlyList<double> SharedAtThreshold,
    IReadOnlyList<PairConsistency> Pairs,
    IReadOnlyList<IReadOnlyList<double[]>> Stability);

namespace Mfr.Evaluation;

/// <summary>
/// One "recovery" line of metrics.jsonl (paper figure 8): how well each SAE of the ensemble matches the
/// true features of synthetic data after <see cref="Step"/> steps.
/// </summary>
/// <param name="Step">Steps completed (0: the initialisation).</param>
/// <param name="Thresholds">Cosine thresholds of <see cref="Recovered"/>, <c>[thresholdCount]</c> (0.7, 0.8, 0.9).</param>
/// <param name="Mmcs">Ground-truth MMCS per SAE, <c>[saeCount]</c>: Hungarian-matched mean cosine between decoder rows and true features.</param>
/// <param name="Recovered">Per SAE, the fraction of the true features matched at cosine &gt;= each threshold, <c>[saeCount][thresholdCount]</c>.</param>
public sealed record RecoveryMetrics(long Step, double[] Thresholds, double[] Mmcs, double[][] Recovered)
{
    /// <summary>Fraction of true features SAE <paramref name="sae"/> recovered at <paramref name="threshold"/>; NaN when that threshold was not measured.</summary>
    public double RecoveredAt(int sae, double threshold)
    {
        int index = Array.FindIndex(Thresholds, t => Math.Abs(t - threshold) < 1e-9);
        return index < 0 ? double.NaN : Recovered[sae][index];
    }
}

namespace Mfr.Matching;

/// <summary>How many true features were recovered at one cosine threshold (SPEC 3, measures).</summary>
/// <param name="Threshold">Minimum matched cosine that counts as recovered.</param>
/// <param name="RecoveredCount">True features whose matched latent has cosine &gt;= <paramref name="Threshold"/>.</param>
/// <param name="FeatureCount">All true features (unmatched ones count as not recovered).</param>
public readonly record struct RecoveryAtThreshold(double Threshold, int RecoveredCount, int FeatureCount)
{
    /// <summary>Recovered fraction of the true features (0 when there are none).</summary>
    public double Fraction => FeatureCount == 0 ? 0 : (double)RecoveredCount / FeatureCount;
}

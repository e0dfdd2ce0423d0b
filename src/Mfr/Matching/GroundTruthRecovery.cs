namespace Mfr.Matching;

/// <summary>
/// Ground-truth evaluation of one SAE on synthetic data (SPEC 3): the optimal matching of its decoder
/// directions to the true features, its mean cosine, and the fraction of true features recovered at
/// each threshold.
/// </summary>
/// <param name="Mmcs">Mean matched cosine over the <c>min(latentCount, featureCount)</c> pairs.</param>
/// <param name="Recovery">One entry per requested threshold, in the order given.</param>
/// <param name="Matching">The matching itself: rows are latents, columns are true features.</param>
public sealed record GroundTruthRecovery(double Mmcs, IReadOnlyList<RecoveryAtThreshold> Recovery, MmcsResult Matching);

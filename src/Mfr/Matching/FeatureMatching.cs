namespace Mfr.Matching;

/// <summary>
/// MMCS between two sets of directions and ground-truth feature recovery (SPEC 2 and 3): cosine
/// matrix, exact one-to-one matching maximising the total cosine (<see cref="LinearAssignment"/>),
/// mean of the matched cosines.
/// </summary>
public static class FeatureMatching
{
    /// <summary>The recovery thresholds the paper reports (cosine 0.7, 0.8, 0.9).</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = [0.7, 0.8, 0.9];

    /// <summary>MMCS between the rows of <paramref name="a"/> and of <paramref name="b"/> (e.g. the decoders of two SAEs).</summary>
    /// <param name="a">First set, <c>[rowCountA, dimension]</c> (need not be unit length).</param>
    /// <param name="b">Second set, <c>[rowCountB, dimension]</c>.</param>
    /// <param name="rowCountA">Rows of <paramref name="a"/>, at least 1.</param>
    /// <param name="rowCountB">Rows of <paramref name="b"/>, at least 1.</param>
    /// <param name="dimension">Shared row length.</param>
    /// <returns>Mean matched cosine and the pairs.</returns>
    public static MmcsResult Mmcs(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rowCountA, int rowCountB, int dimension)
    {
        var cosines = CosineSimilarity.Compute(a, b, rowCountA, rowCountB, dimension);
        return MmcsFromCosines(cosines, rowCountA, rowCountB);
    }

    /// <summary>MMCS from a precomputed cosine matrix.</summary>
    /// <param name="cosines">Cosines, <c>[rowCount, columnCount]</c>, finite.</param>
    /// <param name="rowCount">Size of the first set, at least 1.</param>
    /// <param name="columnCount">Size of the second set, at least 1.</param>
    /// <returns>Mean matched cosine and the pairs.</returns>
    public static MmcsResult MmcsFromCosines(ReadOnlySpan<float> cosines, int rowCount, int columnCount)
    {
        if (rowCount < 1 || columnCount < 1)
            throw new ArgumentException($"MMCS needs at least one direction in each set, got [{rowCount}, {columnCount}].");
        var assignment = LinearAssignment.MaximizeSimilarity(cosines, rowCount, columnCount);
        var pairs = new MatchedPair[assignment.MatchedCount];
        int next = 0;
        double sum = 0;
        for (int row = 0; row < rowCount; row++)
        {
            int column = assignment.ColumnForRow[row];
            if (column < 0) continue;
            float cosine = cosines[row * columnCount + column];
            pairs[next++] = new MatchedPair(row, column, cosine);
            sum += cosine;
        }
        return new MmcsResult(sum / pairs.Length, pairs, rowCount, columnCount);
    }

    /// <summary>
    /// Matches decoder directions to the true features and reports MMCS and the recovered fraction
    /// of the TRUE features at each threshold (SPEC 3: "fraction of the n features recovered").
    /// </summary>
    /// <param name="decoder">Decoder directions, one per latent, <c>[latentCount, dimension]</c>.</param>
    /// <param name="latentCount">Latents h, at least 1.</param>
    /// <param name="trueFeatures">True features as rows, <c>[featureCount, dimension]</c> (F^T for SPEC's F of shape d x n).</param>
    /// <param name="featureCount">True features n, at least 1.</param>
    /// <param name="dimension">Input width d.</param>
    /// <param name="thresholds">Cosine thresholds; <see cref="DefaultThresholds"/> when null.</param>
    /// <returns>MMCS over the <c>min(h, n)</c> matched pairs and the recovery per threshold.</returns>
    public static GroundTruthRecovery RecoverGroundTruth(ReadOnlySpan<float> decoder, int latentCount, ReadOnlySpan<float> trueFeatures, int featureCount, int dimension, IReadOnlyList<double>? thresholds = null)
    {
        thresholds ??= DefaultThresholds;
        foreach (double threshold in thresholds)
            if (!double.IsFinite(threshold)) throw new ArgumentException($"Recovery thresholds must be finite, got {threshold}.");
        var matching = Mmcs(decoder, trueFeatures, latentCount, featureCount, dimension);
        var recovery = new RecoveryAtThreshold[thresholds.Count];
        for (int t = 0; t < thresholds.Count; t++)
        {
            int recovered = 0;
            // Compared in float, as a float32 tensor comparison in the reference Python code would.
            float threshold = (float)thresholds[t];
            foreach (var pair in matching.Pairs) if (pair.Cosine >= threshold) recovered++;
            recovery[t] = new RecoveryAtThreshold(thresholds[t], recovered, featureCount);
        }
        return new GroundTruthRecovery(matching.Mean, recovery, matching);
    }
}

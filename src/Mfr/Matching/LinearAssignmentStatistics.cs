namespace Mfr.Matching;

/// <summary>What one <see cref="LinearAssignment"/> solve did; for benchmarks and for tuning the warm start.</summary>
/// <param name="WarmStarted">True when the previous solution was reused (same shape and objective).</param>
/// <param name="RowsFreedByWarmStart">Rows whose previous match stopped being optimal for the new matrix (0 on a cold start; when the candidate solver restarts cold, those freed among the rows its check read).</param>
/// <param name="RowReductionSteps">Steps of Jonker-Volgenant augmenting row reduction (one row scan each).</param>
/// <param name="Augmentations">Shortest augmenting path searches (one per row still free after the reductions).</param>
/// <param name="RelaxedRows">Row scans made by those searches: the main cost of a solve.</param>
public readonly record struct LinearAssignmentStatistics(
    bool WarmStarted,
    int RowsFreedByWarmStart,
    int RowReductionSteps,
    int Augmentations,
    long RelaxedRows)
{
    /// <summary>Rows the searches of <see cref="CandidateAssignment"/> relaxed in full, beyond their candidate lists (0 for the dense solver).</summary>
    public long FullRowScans { get; init; }
}

namespace Mfr.Regularization;

/// <summary>Wall time of one assignment refresh of the MFR penalty (every pair), split by phase.</summary>
/// <param name="ProductSeconds">The cosine matrices (one GEMM per pair).</param>
/// <param name="SolverSeconds">The exact assignments (pairs side by side).</param>
/// <param name="TotalSeconds">The whole refresh, including the exchange of solutions under MPI.</param>
internal sealed record RefreshTiming(double ProductSeconds, double SolverSeconds, double TotalSeconds);

/// <summary>Sums over the refreshes so far: what `mfr bench` reads over its timed steps (issue 16 item 3).</summary>
/// <param name="Count">Refreshes.</param>
/// <param name="ProductSeconds">Their cosine products.</param>
/// <param name="SolverSeconds">Their exact assignments.</param>
/// <param name="TotalSeconds">The whole refreshes.</param>
/// <param name="ProductFlops">The products' floating-point operations (2 h_a h_b d per pair this process solved).</param>
internal readonly record struct RefreshTotals(int Count, double ProductSeconds, double SolverSeconds, double TotalSeconds, double ProductFlops)
{
    /// <summary>These totals with one more refresh.</summary>
    public RefreshTotals Add(RefreshTiming refresh, double productFlops) =>
        new(Count + 1, ProductSeconds + refresh.ProductSeconds, SolverSeconds + refresh.SolverSeconds, TotalSeconds + refresh.TotalSeconds, ProductFlops + productFlops);

    /// <summary>What was added since <paramref name="earlier"/>.</summary>
    public RefreshTotals Since(RefreshTotals earlier) =>
        new(Count - earlier.Count, ProductSeconds - earlier.ProductSeconds, SolverSeconds - earlier.SolverSeconds, TotalSeconds - earlier.TotalSeconds, ProductFlops - earlier.ProductFlops);
}

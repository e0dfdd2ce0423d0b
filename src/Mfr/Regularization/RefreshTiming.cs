namespace Mfr.Regularization;

/// <summary>Wall time of one assignment refresh of the MFR penalty (every pair), split by phase.</summary>
/// <param name="ProductSeconds">The cosine matrices (one GEMM per pair).</param>
/// <param name="SolverSeconds">The exact assignments (pairs side by side).</param>
/// <param name="TotalSeconds">The whole refresh, including the exchange of solutions under MPI.</param>
internal sealed record RefreshTiming(double ProductSeconds, double SolverSeconds, double TotalSeconds);

namespace Mfr.Consistency;

/// <summary>How alike two independent runs' dictionaries are: one term of PW-MCC and of shared@tau.</summary>
/// <param name="RunA">Index of the first run.</param>
/// <param name="RunB">Index of the second run (greater than <paramref name="RunA"/>).</param>
/// <param name="Mcc">Mean signed cosine of the optimally matched decoder rows (Song et al. 2025's MCC; our MMCS).</param>
/// <param name="SharedFractions">Per threshold, the share of latents whose match has cosine &gt;= threshold (Paulo and Belrose 2025).</param>
public sealed record PairConsistency(int RunA, int RunB, double Mcc, IReadOnlyList<double> SharedFractions);

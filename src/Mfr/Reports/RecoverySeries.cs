using Mfr.Evaluation;

namespace Mfr.Reports;

/// <summary>The recovery log of one run (a variant's ensemble) for paper figure 8, drawn in one colour, one line per SAE.</summary>
/// <param name="Label">Legend text ("baseline", "MFR β=auto").</param>
/// <param name="Color">Hex colour.</param>
/// <param name="Lines">The run's "recovery" lines in step order.</param>
internal sealed record RecoverySeries(string Label, string Color, IReadOnlyList<RecoveryMetrics> Lines);

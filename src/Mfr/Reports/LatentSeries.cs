namespace Mfr.Reports;

/// <summary>One histogram series of paper figure 5: the latents of some SAEs (a variant's ensemble, or one SAE) drawn in one colour.</summary>
/// <param name="Label">Legend text ("baseline", "MFR β=auto", "SAE 0").</param>
/// <param name="Color">Hex colour.</param>
/// <param name="Saes">The SAEs pooled into the series.</param>
internal sealed record LatentSeries(string Label, string Color, IReadOnlyList<SaeLatents> Saes);

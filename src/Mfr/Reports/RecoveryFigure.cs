using Mfr.Reports.Svg;

namespace Mfr.Reports;

/// <summary>
/// Paper figure 8: ground-truth recovery over training, from the "recovery" lines of synthetic runs'
/// metrics.jsonl. Left: ground-truth MMCS; right: the percentage of true features matched at cosine &gt;= 0.9.
/// One line per SAE: the colour is the variant (baseline, MFR ...), the dash pattern the SAE's index.
/// </summary>
internal static class RecoveryFigure
{
    /// <summary>Recovery threshold of the right panel (the strictest the paper reports).</summary>
    public const double Threshold = 0.9;

    private static readonly LineStyle[] Styles = [LineStyle.Solid, LineStyle.Dashed, LineStyle.Dotted, LineStyle.DashDot];

    /// <summary>Adds the figure to <paramref name="section"/> as <paramref name="name"/> when any series has recovery lines.</summary>
    public static void AddTo(ReportSection section, string name, IReadOnlyList<RecoverySeries> series, int batchSize)
    {
        if (Build(series) is not { } figure) return;
        section.AddFigure(name, figure,
            $"Paper figure 8. Each SAE's decoder against the true features during training (logged every few steps and at step 0; {batchSize:N0} samples per step): " +
            "left, the Hungarian-matched mean cosine (ground-truth MMCS); right, the percentage of the true features matched at cosine ≥ 0.9." + Key(series));
    }

    // Say what colour and dash stand for only when they vary: one variant has one colour, one SAE per variant one dash.
    private static string Key(IReadOnlyList<RecoverySeries> series)
    {
        var drawn = series.Where(s => s.Lines.Count > 0).ToList();
        var parts = new List<string>();
        if (drawn.Count > 1) parts.Add("colour: variant");
        if (drawn.Any(s => s.Lines.Min(l => l.Mmcs.Length) > 1)) parts.Add("dash: SAE");
        return parts.Count == 0 ? "" : " " + char.ToUpperInvariant(parts[0][0]) + string.Join("; ", parts)[1..] + ".";
    }

    /// <summary>The two-panel figure, or null when no series has recovery lines.</summary>
    public static Figure? Build(IReadOnlyList<RecoverySeries> series)
    {
        var drawn = series.Where(s => s.Lines.Count > 0).ToList();
        if (drawn.Count == 0) return null;
        var mmcs = new Chart("Ground-truth MMCS").WithXAxis("step").WithYAxis("mean matched cosine");
        // One legend, in the left panel: both panels draw the same lines.
        var recovered = new Chart($"True features recovered at cosine ≥ {Threshold:0.0}").WithXAxis("step").WithYAxis("true features recovered", "%", min: 0)
            .WithLegend(LegendPosition.None);
        foreach (var entry in drawn)
        {
            double[] steps = entry.Lines.Select(l => (double)l.Step).ToArray();
            int saes = entry.Lines.Min(l => l.Mmcs.Length);
            for (int m = 0; m < saes; m++)
            {
                string label = saes == 1 ? entry.Label : $"{entry.Label}, SAE {m}";
                LineStyle style = Styles[m % Styles.Length];
                mmcs.AddLine(label, steps, entry.Lines.Select(l => l.Mmcs[m]).ToArray(), style, color: entry.Color);
                recovered.AddLine(label, steps, entry.Lines.Select(l => 100 * l.RecoveredAt(m, Threshold)).ToArray(), style, color: entry.Color);
            }
        }
        return new Figure().AddPanel(mmcs).AddPanel(recovered).WithSharedX();
    }
}

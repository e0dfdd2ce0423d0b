using System.Globalization;
using Mfr.Regularization;
using Mfr.Reports.Svg;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// Paper figure 5 as two figures, series (e.g. baseline vs MFR) overlaid in each panel with translucent fills
/// and opaque outlines. (a) Best cosines: per latent, to the ensemble's other SAEs, and (synthetic data) to
/// the true features; latents of a series' SAEs pooled. (b) Firing frequencies on held-out data: log bins,
/// 4 per decade, with latents that never fired in a bar of their own left of the axis break, and k/h (the
/// activity the re-initialisation score measures deviations from) marked; counts on a log axis so a single
/// dead or always-on latent stays visible; one panel per (k, h) since frequencies centre on k/h.
/// </summary>
internal static class LatentFigures
{
    private const int CosineBins = 40;
    private const int FrequencyBinsPerDecade = 4;

    /// <summary>Adds figure 5a (when any SAE has cosines) and 5b to <paramref name="section"/>, named <paramref name="name"/>-cosines and -firing.</summary>
    /// <param name="section">Where the figures go.</param>
    /// <param name="name">Prefix of the figure names.</param>
    /// <param name="series">One entry per variant (baseline, MFR ...) or per SAE of a run.</param>
    /// <param name="ensembleNote">
    /// What the cosines between SAEs mean for these series (e.g. that the SAEs of a baseline run train
    /// independently); null to say it of series labelled "baseline", when any is, and nothing otherwise.
    /// </param>
    public static void AddTo(ReportSection section, string name, IReadOnlyList<LatentSeries> series, string? ensembleNote = null)
    {
        var drawn = series.Where(s => s.Saes.Count > 0).ToList();
        if (drawn.Count == 0) return;
        if (Cosines(drawn) is { } cosines)
        {
            section.AddFigure($"{name}-cosines", cosines, CosinesCaption(drawn, ensembleNote));
        }
        long samples = drawn.SelectMany(s => s.Saes).Max(sae => sae.HeldOutSamples);
        section.AddFigure($"{name}-firing", Firing(drawn),
            $"Paper figure 5b. Fraction of {samples:N0} held-out samples in which each latent of the final {(drawn.Sum(s => s.Saes.Count) == 1 ? "SAE" : "SAEs")} fired (non-zero after TopK), " +
            $"{FrequencyBinsPerDecade} log bins per decade; the bar left of the axis break counts latents that never fired; dashed: k/h. Counts on a log axis" +
            (drawn.Any(s => s.Saes.Count > 1) ? ", latents of a series' SAEs pooled." : "."));
    }

    /// <summary>The note for the latents of one run's SAEs, drawn one series per SAE: whether they were coupled.</summary>
    public static string? EnsembleNote(RunSpecification specification) =>
        specification.Saes.Length < 2 ? null : (specification.Regularization?.Mode ?? MfrMode.Baseline) switch
        {
            MfrMode.Mfr or MfrMode.Penalty => "These SAEs were coupled by the MFR penalty, which pulls their latents towards each other's.",
            MfrMode.MeanMax => "These SAEs were coupled by the mean-max penalty, which pulls each latent towards its most similar latent in the other SAEs.",
            MfrMode.Reinit => "These SAEs trained without the penalty (re-initialisation only): their cosines show the agreement that arises without coupling.",
            _ => "These SAEs trained independently (baseline): their cosines show the agreement that arises without coupling.",
        };

    // The caption names the panels that are drawn: a lone SAE has no other SAE to compare with, and data
    // without true features (EEG, GPT-2) has no truth panel.
    private static string CosinesCaption(IReadOnlyList<LatentSeries> series, string? ensembleNote)
    {
        bool others = series.Any(s => s.Saes.Any(sae => sae.ToOthers is not null));
        bool truth = series.Any(s => s.Saes.Any(sae => sae.ToTruth is not null));
        string what = (others, truth) switch
        {
            (true, true) => "its best cosine to any latent of the other SAE(s) of its ensemble (left) and to any true feature (right)",
            (true, false) => "its best cosine to any latent of the other SAE(s) of its ensemble",
            _ => "its best cosine to any true feature",
        };
        bool pooled = series.Any(s => s.Saes.Count > 1);
        var shapes = series.SelectMany(s => s.Saes).Select(sae => sae.LatentCount).ToList();
        string counts = pooled ? $"; the latents of all SAEs of a series pooled ({PooledCounts(series)})"
            : shapes.Distinct().Count() == 1 ? $" ({(shapes.Count == 1 ? "one SAE" : $"{shapes.Count} SAEs")} of {shapes[0].ToString("N0", CultureInfo.InvariantCulture)} latents)"
            : $" (SAEs of {string.Join(", ", shapes.Select(h => h.ToString("N0", CultureInfo.InvariantCulture)))} latents)";
        string? note = ensembleNote ?? (others && series.Any(s => s.Label.StartsWith("baseline", StringComparison.OrdinalIgnoreCase))
            ? "Baseline SAEs train independently: their cosines show the agreement that arises without coupling." : null);
        return $"Paper figure 5a. Per latent, {what}{counts}, {CosineBins} bins of 0.025." + (others && note is not null ? " " + note : "");
    }

    /// <summary>Figure 5a, or null when no SAE has cosines to show (a lone SAE on data without true features).</summary>
    public static Figure? Cosines(IReadOnlyList<LatentSeries> series)
    {
        var panels = new List<Chart>();
        if (series.Any(s => s.Saes.Any(sae => sae.ToOthers is not null)))
            panels.Add(CosinePanel("Best cosine to another SAE", "cosine to the closest latent of another SAE", series, sae => sae.ToOthers));
        if (series.Any(s => s.Saes.Any(sae => sae.ToTruth is not null)))
            panels.Add(CosinePanel("Best cosine to a true feature", "cosine to the closest true feature", series, sae => sae.ToTruth));
        if (panels.Count == 0) return null;
        // y not shared: a collapsed MFR pair puts every latent at cosine 1, which would flatten the truth panel.
        return WithOneLegend(new Figure().WithSharedX(), panels);
    }

    /// <summary>Figure 5b: one panel per (k, h), each series pooling its SAEs of that shape.</summary>
    public static Figure Firing(IReadOnlyList<LatentSeries> series)
    {
        var shapes = series.SelectMany(s => s.Saes).Select(sae => (sae.K, sae.LatentCount)).Distinct().Order().ToList();
        long samples = series.SelectMany(s => s.Saes).Max(sae => sae.HeldOutSamples);
        // The rarest a latent can be and still have fired is one sample in all: the bins start at that decade.
        int firstExponent = Svg.TickGenerator.FloorLog10(1.0 / Math.Max(1, samples));
        double[] edges = HistogramBins.Logarithmic(firstExponent, 0, FrequencyBinsPerDecade);
        var panels = new List<Chart>();
        foreach (var (k, h) in shapes)
        {
            string title = shapes.Count == 1 ? "Firing frequency on held-out data" : $"k = {k}, h = {h}";
            var chart = new Chart(title).WithXAxis("fraction of samples in which the latent fired", scale: ScaleKind.Log)
                .WithYAxis("latents", scale: ScaleKind.Log).WithZeroBinLabel("never");
            foreach (var entry in series)
            {
                var frequencies = entry.Saes.Where(sae => sae.K == k && sae.LatentCount == h).SelectMany(sae => sae.FiringFrequencies).ToList();
                if (frequencies.Count == 0) continue;
                chart.AddHistogram(entry.Label, edges, HistogramBins.Count(frequencies.Where(f => f > 0), edges), entry.Color, FillOpacity(series.Count), frequencies.Count(f => f == 0));
            }
            chart.AddVerticalMarker((double)k / h, "k/h");
            panels.Add(chart);
        }
        return WithOneLegend(new Figure().WithSharedX().WithSharedY().WithColumns(Math.Min(shapes.Count, 2)), panels);
    }

    // Overlaid translucent fills mix into colours no legend shows; with more than two series the outlines carry them.
    private static double FillOpacity(int seriesCount) => seriesCount <= 2 ? 0.35 : 0.15;

    // Every panel draws the same series in the same colours: the legend is said once, in the first panel.
    private static Figure WithOneLegend(Figure figure, IReadOnlyList<Chart> panels)
    {
        for (int i = 0; i < panels.Count; i++) figure.AddPanel(i == 0 ? panels[i] : panels[i].WithLegend(LegendPosition.None));
        return figure;
    }

    private static Chart CosinePanel(string title, string axis, IReadOnlyList<LatentSeries> series, Func<SaeLatents, float[]?> values)
    {
        var all = series.SelectMany(s => s.Saes).Select(values).OfType<float[]>().SelectMany(v => v).Where(float.IsFinite).ToList();
        // Best cosines are almost always positive; a rare negative one widens the range by whole bins.
        double lower = Math.Min(0, Math.Floor(all.DefaultIfEmpty(0).Min() * CosineBins) / CosineBins);
        double[] edges = HistogramBins.Linear(lower, 1, (int)Math.Round((1 - lower) * CosineBins));
        var chart = new Chart(title).WithXAxis(axis, min: lower, max: 1).WithYAxis("latents");
        foreach (var entry in series)
        {
            var pooled = entry.Saes.Select(values).OfType<float[]>().SelectMany(v => v).Select(v => (double)Math.Min(v, 1f)).ToList();
            if (pooled.Count > 0) chart.AddHistogram(entry.Label, edges, HistogramBins.Count(pooled, edges), entry.Color, FillOpacity(series.Count));
        }
        return chart;
    }

    private static string PooledCounts(IReadOnlyList<LatentSeries> series) =>
        string.Join(", ", series.Select(s => $"{s.Label}: {s.Saes.Count} × {string.Join("/", s.Saes.Select(sae => sae.LatentCount).Distinct().Select(h => h.ToString(CultureInfo.InvariantCulture)))}"));
}

using System.Globalization;
using Mfr.Numerics;
using Mfr.Reports;
using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports;

/// <summary>
/// A sample report with synthetic data shaped like the paper's figures (SPEC sections 3-6): loss curves
/// with re-initialisation markers, the re-init metric against its threshold, a 512-latent consistency
/// scatter (baseline | MFR), firing-frequency histograms on log axes, bar groups per k, tables and a
/// provenance block; plus edge cases (no data, one point, constant data, NaN gaps, "&lt;&amp;&gt;" in labels).
/// Used by the headless-browser test and as the visual regression target.
/// </summary>
internal static class SampleReportFactory
{
    public static readonly string[] GptKs = ["6", "12", "18", "24", "30"];

    public static ReportDocument Create(ulong seed = 7)
    {
        var document = new ReportDocument("MFR sample report", "Synthetic data; every number here is made up to exercise the figures.");
        var rng = new Rng(seed);
        AddSynthetic(document.AddSection("Experiment 1: synthetic features"), ref rng);
        AddGpt2(document.AddSection("Experiment 2: GPT-2 Small MLP activations"));
        AddEeg(document.AddSection("Experiment 3: EEG"), ref rng);
        AddEdgeCases(document.AddSection("Edge cases <&> of the drawing module"));
        document.AddProvenance("seed", seed.ToString(CultureInfo.InvariantCulture))
            .AddProvenance("config", "{\"latents\": 512, \"k\": 32, \"beta\": \"auto\", \"warmupSteps\": 100}")
            .AddProvenance("tool version", "Mfr 0.1.0 (sample)")
            .AddProvenance("data sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
            .AddProvenance("note <&>", "values \"quoted\" & <escaped>");
        return document;
    }

    private static void AddSynthetic(ReportSection section, ref Rng rng)
    {
        section.AddParagraph("Two TopK SAEs (h = 512, k = 32) trained together with MFR against two independent baselines on 50,000,000 generated samples.");
        section.AddFigure("training-loss", LossCurves(ref rng), "Reconstruction loss over training (log scale). Dashed lines mark MFR re-initialisations.");
        section.AddFigure("reinit-metric", ReinitMetric(ref rng), "Re-initialisation metric over the first 100 steps; an SAE is re-drawn when it exceeds the threshold.");
        section.AddFigure("consistency", ConsistencyScatter(ref rng), "Feature consistency: per latent, max cosine to the other SAE against max cosine to the true features (512 latents).");
        section.AddFigure("firing-frequency", FiringHistogram(ref rng), "Latent firing frequency after training, log-spaced bins; latents that never fired left of the axis break.");
        section.AddFigure("recovery", Recovery(), "Fraction of true features recovered at two cosine thresholds.");
        var table = new ReportTable(["Model", "GT MMCS", "Recovered ≥ 0.9", "Recovered ≥ 0.8", "Dead latents"], "Ground-truth recovery after training.")
            .AddRow("Baseline SAE 1", "0.8123", "61.3%", "78.9%", "12")
            .AddRow("Baseline SAE 2", "0.8094", "60.2%", "77.0%", "15")
            .AddRow("MFR SAE 1", "0.8410", "68.0%", "83.2%", "3")
            .AddRow("MFR SAE 2", "0.8398", "67.4%", "82.6%", "—");
        section.AddTable(table);
    }

    private static Chart LossCurves(ref Rng rng)
    {
        const int steps = 5000;
        double[] x = new double[steps], baseline = new double[steps], mfr = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            x[i] = i + 1;
            double decay = Math.Exp(-i / 700.0);
            baseline[i] = (0.0016 + 0.05 * decay) * (1 + 0.04 * rng.NextGaussian());
            mfr[i] = (0.0013 + 0.05 * decay) * (1 + 0.04 * rng.NextGaussian()) * (i is > 36 and < 45 or > 51 and < 58 ? 3 : 1);
        }
        return new Chart("Reconstruction loss")
            .WithXAxis("Training step").WithYAxis("MSE", scale: ScaleKind.Log)
            .AddLine("Baseline", x, baseline, color: Palette.Blue, widthPx: 1.2)
            .AddLine("MFR", x, mfr, color: Palette.Vermillion, widthPx: 1.2)
            .AddVerticalMarker(37, "re-init SAE 1").AddVerticalMarker(52, "re-init SAE 2").AddVerticalMarker(61, "re-init SAE 1")
            .AddVerticalMarker(3100, "re-init SAE 2");
    }

    private static Chart ReinitMetric(ref Rng rng)
    {
        const int points = 21;
        double[] x = new double[points], first = new double[points], second = new double[points];
        for (int i = 0; i < points; i++)
        {
            x[i] = i * 5;
            first[i] = 40 * Math.Exp(-i / 3.0) + 0.3 + 0.1 * rng.NextDouble();
            second[i] = 8 * Math.Exp(-i / 6.0) + 0.5 + 0.2 * rng.NextDouble();
        }
        return new Chart("Re-initialisation metric δ")
            .WithXAxis("Training step").WithYAxis("δ = mean (|r − τ| / τ)³", scale: ScaleKind.Log)
            .AddLine("SAE 1", x, first, marker: MarkerShape.Circle)
            .AddLine("SAE 2", x, second, LineStyle.Dashed, MarkerShape.Square)
            .AddHorizontalLine(2.5, "threshold θ = 2.5");
    }

    private static Figure ConsistencyScatter(ref Rng rng)
    {
        Chart Panel(string title, double correlation, ref Rng random)
        {
            const int latents = 512;
            double[] x = new double[latents], y = new double[latents];
            for (int i = 0; i < latents; i++)
            {
                double shared = random.NextGaussian(), own = random.NextGaussian();
                x[i] = Math.Clamp(0.75 + 0.12 * shared, 0.2, 1.0);
                y[i] = Math.Clamp(0.7 + 0.12 * (correlation * shared + Math.Sqrt(1 - correlation * correlation) * own), 0.1, 1.0);
            }
            return new Chart(title).WithSubtitle($"Pearson r = {correlation:0.000}")
                .WithXAxis("Max cosine to other SAE").WithYAxis("Max cosine to true features")
                .AddScatter("Latents", x, y, color: title == "Baseline" ? Palette.Blue : Palette.Vermillion)
                .WithLegend(LegendPosition.None);
        }
        return Figure.SideBySide(Panel("Baseline", 0.625, ref rng), Panel("MFR", 0.668, ref rng), "Feature consistency (512 latents)")
            .WithSize(960, 400);
    }

    private static Chart FiringHistogram(ref Rng rng)
    {
        const int bins = 30;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = Math.Pow(10, -6 + 6.0 * i / bins);
        double[] baseline = new double[bins], mfr = new double[bins];
        int baselineDead = 0;
        for (int latent = 0; latent < 512; latent++)
        {
            if (latent % 23 == 0)
            {
                baselineDead++;
                continue;
            }
            double logBaseline = -1.2 + 0.55 * rng.NextGaussian() - (latent % 9 == 0 ? 2.8 : 0);
            double logMfr = -1.2 + 0.4 * rng.NextGaussian();
            baseline[Math.Clamp((int)((logBaseline + 6) / 6 * bins), 0, bins - 1)]++;
            mfr[Math.Clamp((int)((logMfr + 6) / 6 * bins), 0, bins - 1)]++;
        }
        return new Chart("Latent firing frequency")
            .WithXAxis("Fraction of samples where the latent fires", scale: ScaleKind.Log)
            .WithYAxis("Latents", scale: ScaleKind.Log)
            .WithZeroBinLabel("never")
            .AddHistogram("Baseline", edges, baseline, Palette.Blue, zeroCount: baselineDead)
            .AddHistogram("MFR", edges, mfr, Palette.Vermillion, zeroCount: 2)
            .AddVerticalMarker(32.0 / 512, "τ = k / h");
    }

    private static Chart Recovery()
    {
        double[] x = [0, 5e6, 1e7, 2e7, 3e7, 4e7, 5e7];
        double[] b9 = [0, 0.21, 0.38, 0.52, 0.58, 0.60, 0.61], m9 = [0, 0.25, 0.45, 0.60, 0.65, 0.67, 0.68];
        double[] b8 = [0, 0.35, 0.55, 0.70, 0.76, 0.78, 0.79], m8 = [0, 0.40, 0.62, 0.77, 0.81, 0.83, 0.83];
        return new Chart("Feature recovery over training")
            .WithXAxis("Samples seen").WithYAxis("Fraction recovered", min: 0, max: 1)
            .AddLine("Baseline, cos ≥ 0.9", x, b9, marker: MarkerShape.Circle, color: Palette.Blue)
            .AddLine("MFR, cos ≥ 0.9", x, m9, marker: MarkerShape.Circle, color: Palette.Vermillion)
            .AddLine("Baseline, cos ≥ 0.8", x, b8, LineStyle.Dashed, MarkerShape.Triangle, Palette.Blue)
            .AddLine("MFR, cos ≥ 0.8", x, m8, LineStyle.Dashed, MarkerShape.Triangle, Palette.Vermillion);
    }

    private static void AddGpt2(ReportSection section)
    {
        double[] baseline = [0.00160, 0.00121, 0.00097, 0.00083, 0.00072], mfr = [0.00132, 0.00105, 0.00090, 0.00079, 0.00070];
        section.AddParagraph("Five baseline and five MFR SAEs (h = 3072) on block-0 MLP outputs of GPT-2 Small; held-out reconstruction loss per k.");
        section.AddFigure("gpt2-loss", new Chart("Reconstruction loss per k")
            .WithXAxis("k (active latents)").WithYAxis("MSE")
            .AddBars("Baseline", GptKs, baseline, Palette.Blue).AddBars("MFR", GptKs, mfr, Palette.Vermillion).WithBarValues(),
            "Held-out reconstruction loss, baseline vs MFR, for each k.");
        var table = new ReportTable(["k", "Baseline MSE", "MFR MSE", "Change"], "Reconstruction loss (paper table 1 layout).");
        for (int i = 0; i < GptKs.Length; i++)
        {
            double change = (mfr[i] - baseline[i]) / baseline[i];
            table.AddRow(GptKs[i], baseline[i].ToString("F5", CultureInfo.InvariantCulture), mfr[i].ToString("F5", CultureInfo.InvariantCulture),
                TickLabelFormatter.Fixed(100 * change, 2) + "%");
        }
        section.AddTable(table);
    }

    private static void AddEeg(ReportSection section, ref Rng rng)
    {
        Chart Panel(string title, double spread, string color, ref Rng random)
        {
            double[] edges = Enumerable.Range(0, 26).Select(i => i * 0.02).ToArray();
            double[] counts = new double[25];
            for (int i = 0; i < 4096; i++) counts[Math.Clamp((int)((0.22 + spread * random.NextGaussian()) / 0.02), 0, 24)]++;
            return new Chart(title).WithXAxis("Max cosine to other SAEs").WithYAxis("Latents").AddHistogram("", edges, counts, color, 0.5);
        }
        section.AddParagraph("h = 4096 latents, k = 24; distribution of each latent's best match in the other SAEs of its run.");
        section.AddFigure("eeg-consistency", Figure.SideBySide(Panel("Baseline", 0.06, Palette.Blue, ref rng), Panel("MFR", 0.09, Palette.Vermillion, ref rng)),
            "Cross-SAE consistency, baseline | MFR, shared y axis.");
        section.AddSubsection("Weight analysis").AddFigure("weight-distance", new Chart("Decoder L2 distance between SAEs of a run")
            .WithXAxis("k").WithYAxis("‖W_a − W_b‖₂")
            .AddBars("Baseline", ["12", "24", "36", "48", "60"], [52.1, 51.7, 50.9, 50.2, 49.8])
            .AddBars("MFR", ["12", "24", "36", "48", "60"], [44.0, 45.2, 46.1, 46.5, 47.0]), "Weight analysis (SPEC section 6).");
    }

    private static void AddEdgeCases(ReportSection section)
    {
        double[] gappy = [1, 2, double.NaN, 4, 5, double.PositiveInfinity, 7, 8, 9, 10];
        var figure = new Figure("Edge cases <&>").WithColumns(3).WithSize(960, 260)
            .AddPanel(new Chart("Empty").WithXAxis("x").WithYAxis("y").AddLine("nothing", [], []))
            .AddPanel(new Chart("Single point").WithXAxis("x").WithYAxis("y").AddLine("one", [3], [0.5], marker: MarkerShape.Diamond))
            .AddPanel(new Chart("Constant").WithXAxis("x").WithYAxis("y").AddLine("flat", [0, 1, 2], [2, 2, 2]))
            .AddPanel(new Chart("NaN gaps").WithXAxis("x").WithYAxis("y").AddLine("gaps", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], gappy, marker: MarkerShape.Circle))
            .AddPanel(new Chart("Tiny span").WithXAxis("x").WithYAxis("y").AddLine("a < b & c", [0, 1, 2, 3], [0.991, 0.995, 0.993, 0.999]))
            .AddPanel(new Chart("Big numbers").WithXAxis("tokens").WithYAxis("value").AddLine("", [0, 1e6, 2e6], [-3e-5, 1e-5, 4e-5]));
        section.AddFigure("edge-cases", figure, "Degenerate inputs: no data, one point, constant data, NaN/Inf gaps, a tiny span, extreme magnitudes.");
    }
}

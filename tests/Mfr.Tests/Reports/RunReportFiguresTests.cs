using System.Xml.Linq;
using Mfr.Cli;
using Mfr.Evaluation;
using Mfr.Reports;
using Mfr.Reports.Svg;
using Mfr.Tests.Reports.Svg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Reports;

/// <summary>Paper figures 5 and 8 in reports built from real run folders.</summary>
public sealed class RunReportFiguresTests
{
    private static List<FigureBlock> Figures(IEnumerable<ReportBlock> blocks) =>
        blocks.SelectMany(block => block switch { FigureBlock figure => [figure], ReportSection section => Figures(section.Blocks), _ => [] }).ToList();

    private static FigureBlock Figure(ReportDocument document, string name) => Figures(document.Sections).Single(f => f.Name == name);

    private static List<XElement> Panels(FigureBlock figure) => new SvgProbe(figure.Figure.ToSvg()).WithClasses("panel");

    [Fact]
    public void Figure3_IsDrawnFromTheSavedEvaluation_EvenWithoutTheSaeFiles()
    {
        // Given a finished synthetic experiment whose final SAE files are then removed
        using var folder = new TemporaryDirectory();
        TinySyntheticExperiment.Run(folder.Path);
        foreach (string sae in Directory.GetDirectories(folder.Path, "sae-*", SearchOption.AllDirectories).Where(d => Path.GetFileName(Path.GetDirectoryName(d)) == "final"))
            Directory.Delete(sae, recursive: true);

        // When the report is built
        var document = RunReport.Build(folder.Path);

        // Then figure 3 is still there: it reads final/evaluation.json, not the SAEs (before, it reloaded them and regenerated the true features)
        var figure = Figure(document, "figure3-seed-1");
        Assert.NotEmpty(Panels(figure));
    }

    /// <summary>The report of a tiny `mfr synthetic` experiment (baseline and MFR, two SAEs each), built once for the class.</summary>
    public sealed class SyntheticExperimentReport : IClassFixture<SyntheticExperimentReport.Fixture>
    {
        private readonly ReportDocument document;

        public SyntheticExperimentReport(Fixture fixture) => document = fixture.Document;

        public sealed class Fixture : IDisposable
        {
            private readonly TemporaryDirectory folder = new();

            public Fixture()
            {
                TinySyntheticExperiment.Run(folder.Path);
                Document = RunReport.Build(folder.Path);
            }

            public ReportDocument Document { get; }

            public void Dispose() => folder.Dispose();
        }

        [Fact]
        public void HasFigures8_3_And5_PerSeed()
        {
            var names = Figures(document.Sections).Select(f => f.Name).ToList();

            Assert.Contains("figure8-seed-1", names);
            Assert.Contains("figure3-seed-1", names);
            Assert.Contains("figure5-seed-1-cosines", names);
            Assert.Contains("figure5-seed-1-firing", names);
        }

        [Fact]
        public void Figure8_OneLinePerSaeOfEachVariant_InBothPanels_AtEveryLoggedStep()
        {
            // Given
            FigureBlock figure = Figure(document, "figure8-seed-1");
            IReadOnlyList<PanelLayout> layouts = figure.Figure.PanelLayouts();

            // When
            List<XElement> panels = Panels(figure);

            // Then MMCS | recovered, each with baseline SAE 0/1 and MFR SAE 0/1
            Assert.Equal(2, panels.Count);
            double[] steps = Enumerable.Range(0, TinySyntheticExperiment.Steps / TinySyntheticExperiment.RecoveryEvery + 1).Select(i => (double)i * TinySyntheticExperiment.RecoveryEvery).ToArray();
            for (int p = 0; p < panels.Count; p++)
            {
                PanelLayout layout = layouts[p];
                List<XElement> lines = SvgProbe.WithClasses(panels[p], "series", "line");
                Assert.Equal(4, lines.Count);
                foreach (XElement line in lines)
                {
                    var points = SvgProbe.Subpaths((string)line.Attribute("d")!).Single();
                    Assert.Equal(steps.Select(s => layout.X!.Map(s)), points.Select(p => p.X), new ToleranceComparer(0.01));
                }
            }
            Assert.Equal(["baseline, SAE 0", "baseline, SAE 1", "MFR β=auto, SAE 0", "MFR β=auto, SAE 1"], SvgProbe.Texts(SvgProbe.WithClasses(panels[0], "legend").Single()));
            Assert.Empty(SvgProbe.WithClasses(panels[1], "legend"));
            Assert.Equal("true features recovered (%)", SvgProbe.WithClasses(panels[1], "axis-title", "y").Single().Value);
        }

        [Fact]
        public void Figure5Cosines_PartnerAndTruthPanels_BaselineAndMfrInEach()
        {
            List<XElement> panels = Panels(Figure(document, "figure5-seed-1-cosines"));

            Assert.Equal(2, panels.Count);
            Assert.Equal(["Best cosine to another SAE", "Best cosine to a true feature"], panels.Select(p => SvgProbe.WithClasses(p, "title").Single().Value));
            Assert.All(panels, p => Assert.Equal(2, SvgProbe.WithClasses(p, "series", "histogram").Count));
        }

        [Fact]
        public void Figure5Firing_OnePanel_BaselineAndMfr_WithTheNeverFiredColumn_AndKOverH()
        {
            FigureBlock figure = Figure(document, "figure5-seed-1-firing");
            PanelLayout layout = figure.Figure.PanelLayouts().Single();

            XElement panel = Panels(figure).Single();

            Assert.Equal(2, SvgProbe.WithClasses(panel, "series", "histogram").Count);
            Assert.Equal("never", SvgProbe.Texts(SvgProbe.WithClasses(panel, "tick", "zero-bin").Single()).Single());
            Assert.Contains("k/h", SvgProbe.Texts(SvgProbe.WithClasses(panel, "reference-labels").Single()));
            Assert.IsType<LogScale>(layout.X);
            Assert.Equal(1, layout.X!.DomainMax);
        }

        [Fact]
        public void Markdown_LinksEveryNewFigureAsAnSvgFile()
        {
            string markdown = MarkdownReportWriter.Write(document).Markdown;

            foreach (string name in new[] { "figure8-seed-1", "figure5-seed-1-cosines", "figure5-seed-1-firing" }) Assert.Contains($"figures/{name}.svg", markdown);
        }
    }

    public sealed class FiringHistogram
    {
        [Fact]
        public void Counts_DeadLatentsInTheZeroBin_AndEveryOtherLatentInItsLogBin()
        {
            // Given two SAEs of 6 latents measured on 1000 samples: 3 never fired, one fired on every sample
            var first = new SaeLatents(0, 2, 6, [0, 0, 0.001, 0.01, 0.3, 1.0], 1000, null, null);
            var second = new SaeLatents(1, 2, 6, [0, 0.001, 0.002, 0.33, 0.34, 0.5], 1000, null, null);

            // When
            Chart chart = LatentFigures.Firing([new LatentSeries("baseline", Palette.Blue, [first, second])]).Panels.Single();

            // Then
            var histogram = chart.Series.OfType<HistogramSeries>().Single();
            Assert.Equal(3, histogram.ZeroCount);
            Assert.Equal(12 - 3, histogram.Counts.Sum());
            // bins start at the decade of the rarest possible firing (1 / 1000) and end at 1, four per decade
            Assert.Equal(1e-3, histogram.BinEdges[0]);
            Assert.Equal(1, histogram.BinEdges[^1]);
            Assert.Equal(13, histogram.BinEdges.Length);
            Assert.Equal(2, histogram.Counts[0]); // 0.001 twice
            Assert.Equal(1, histogram.Counts[^1]); // the latent that fired on every sample
            Assert.Equal("never", chart.ZeroBinLabel);
        }

        [Fact]
        public void SaesOfDifferentK_GetAPanelEach()
        {
            var k6 = new SaeLatents(0, 6, 8, [0.5, 0.7, 0.9, 0.8, 0.75, 0.1, 0.2, 0], 100, null, null);
            var k12 = new SaeLatents(1, 12, 8, [0.9, 1, 1, 1, 1, 1, 0.95, 0.97], 100, null, null);

            Figure figure = LatentFigures.Firing([new LatentSeries("baseline", Palette.Blue, [k6, k12]), new LatentSeries("MFR", Palette.Vermillion, [k6, k12])]);

            Assert.Equal(["k = 6, h = 8", "k = 12, h = 8"], figure.Panels.Select(p => p.Title));
            Assert.All(figure.Panels, p => Assert.Equal(2, p.SeriesCount));
        }
    }

    public sealed class StandaloneRun
    {
        [Fact]
        public void MfrRunOnSyntheticData_ReportsRecoveryAndLatentFigures_FromItsOwnFiles()
        {
            // Given a run of `mfr train` on synthetic data, logging recovery every 3 steps
            using var folder = new TemporaryDirectory();
            var error = new StringWriter();
            int code = CliApplication.Run(["train", "--samples", "640", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3",
                "--latents", "16", "--k", "2", "--count", "2", "--mode", "mfr", "--warmup", "3", "--eval-every", "3", "--out", folder.Combine("run")], new StringWriter(), error);
            Assert.True(code == 0, error.ToString());

            // When
            ReportDocument document = RunReport.Build(folder.Combine("run"));

            // Then
            Assert.Equal([0L, 3, 6, 9, 10], GroundTruthRecoveryEvaluator.ReadLog(folder.Combine("run", "metrics.jsonl")).Select(l => l.Step));
            Assert.Equal(2, SvgProbe.WithClasses(Panels(Figure(document, "run-recovery"))[0], "series", "line").Count);
            Assert.Equal(2, Panels(Figure(document, "run-latents-cosines")).Count);
            Assert.Equal(2, SvgProbe.WithClasses(Panels(Figure(document, "run-latents-firing")).Single(), "series", "histogram").Count);
            Assert.True(File.Exists(HeldOutEvaluation.PathFor(folder.Combine("run"))));
        }

        [Fact]
        public void RunWithoutEvaluationFile_TheReportMeasuresFiringOnHeldOutDataItself()
        {
            // Given a finished run whose final/evaluation.json is missing (runs from before the file existed)
            using var folder = new TemporaryDirectory();
            Assert.Equal(0, CliApplication.Run(["train", "--samples", "256", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3",
                "--latents", "16", "--k", "2", "--count", "1", "--out", folder.Combine("run")], new StringWriter(), new StringWriter()));
            File.Delete(HeldOutEvaluation.PathFor(folder.Combine("run")));

            // When
            var latents = SaeLatents.Measure(folder.Combine("run"))!;
            ReportDocument document = RunReport.Build(folder.Combine("run"));

            // Then firing frequencies come from 3 held-out batches; a lone SAE has no partner cosines, only those to the truth
            Assert.Equal(3 * 64, latents.Single().HeldOutSamples);
            Assert.Null(latents.Single().ToOthers);
            Assert.NotNull(latents.Single().ToTruth);
            Assert.Single(Panels(Figure(document, "run-latents-cosines")));
            Assert.Contains(Figures(document.Sections), f => f.Name == "run-latents-firing");
        }
    }

    public sealed class SweepReport
    {
        [Fact]
        public void Sweep_HasFigure5_CosinesBetweenTheEnsemblesSaes_AndFiringPerK_WithoutTruth()
        {
            // Given a k sweep (k 2 and 4) on array files, which have no true features
            using var folder = new TemporaryDirectory();
            var rng = new Mfr.Numerics.Rng(8);
            var vectors = new float[400 * 10];
            rng.FillGaussian(vectors);
            Mfr.IO.NpyWriter.Write(folder.Combine("train.npy"), [300, 10], vectors.AsSpan(0, 3000));
            Mfr.IO.NpyWriter.Write(folder.Combine("heldout.npy"), [100, 10], vectors.AsSpan(3000));
            var error = new StringWriter();
            int code = CliApplication.Run(["sweep", "--data", folder.Combine("train.npy"), "--held-out", folder.Combine("heldout.npy"), "--latents", "16", "--k", "2", "4",
                "--samples", "500", "--batch-size", "50", "--warmup", "3", "--out", folder.Combine("sweep")], new StringWriter(), error);
            Assert.True(code == 0, error.ToString());

            // When
            ReportDocument document = RunReport.Build(folder.Combine("sweep"));

            // Then
            List<XElement> cosines = Panels(Figure(document, "sweep-figure5-cosines"));
            Assert.Equal("Best cosine to another SAE", SvgProbe.WithClasses(cosines.Single(), "title").Single().Value);
            Assert.Equal(["baseline", "MFR"], SvgProbe.Texts(SvgProbe.WithClasses(cosines.Single(), "legend").Single()));
            FigureBlock firing = Figure(document, "sweep-figure5-firing");
            Assert.Equal(["k = 2, h = 16", "k = 4, h = 16"], firing.Figure.Panels.Select(p => p.Title));
            Assert.DoesNotContain(Figures(document.Sections), f => f.Name.Contains("recovery", StringComparison.Ordinal) || f.Name.Contains("figure8", StringComparison.Ordinal));
            Assert.True(File.Exists(HeldOutEvaluation.PathFor(folder.Combine("sweep", "mfr"))));
        }
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}

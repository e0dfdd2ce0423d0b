using System.Xml.Linq;
using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

public sealed class ReportCommandTests
{
    [Fact]
    public void Report_OfAnMfrRun_WritesSelfContainedHtmlWithItsFigures_AndMarkdown()
    {
        using var folder = new TemporaryDirectory();
        var error = new StringWriter();
        int trainCode = CliApplication.Run(["train", "--samples", "640", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3",
            "--latents", "16", "--k", "2", "--count", "2", "--mode", "mfr", "--warmup", "3", "--out", folder.Combine("run")], new StringWriter(), error);
        Assert.True(trainCode == 0, error.ToString());

        int code = CliApplication.Run(["report", folder.Combine("run")], new StringWriter(), error);

        Assert.True(code == 0, error.ToString());
        string html = File.ReadAllText(folder.Combine("run", "report.html"));
        var document = XDocument.Parse(html.Replace("<!DOCTYPE html>", "", StringComparison.OrdinalIgnoreCase));
        // loss curves, coupling (MMCS + penalty), re-initialisation score, and for a run reported on its own
        // (synthetic data) ground-truth recovery over training and figure 5's cosines and firing frequencies:
        // one figure each, each an inline SVG
        var figures = document.Descendants().Where(e => e.Name.LocalName == "figure").ToList();
        Assert.Equal(["figure-run-loss", "figure-run-coupling", "figure-run-reinit", "figure-run-recovery", "figure-run-latents-cosines", "figure-run-latents-firing"],
            figures.Select(f => (string?)f.Attribute("id")));
        Assert.All(figures, f => Assert.Contains(f.Descendants(), e => e.Name.LocalName == "svg"));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("MMCS between coupled SAEs", html);
        Assert.True(File.Exists(folder.Combine("run", "report.md")));
    }

    [Fact]
    public void TrainWithReport_WritesTheReportAtTheEnd()
    {
        using var folder = new TemporaryDirectory();
        var error = new StringWriter();
        int code = CliApplication.Run(["train", "--samples", "128", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3",
            "--latents", "16", "--k", "2", "--count", "1", "--report", "--out", folder.Combine("run")], new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("Reconstruction loss", File.ReadAllText(folder.Combine("run", "report.html")));
    }

    [Fact]
    public void Report_OfAFolderWithoutARun_IsAOneLineError()
    {
        using var folder = new TemporaryDirectory();
        var error = new StringWriter();
        int code = CliApplication.Run(["report", folder.Path], new StringWriter(), error);
        Assert.Equal(1, code);
        Assert.Contains("neither a run", error.ToString());
    }
}

using Mfr.Cli.Rendering;
using Mfr.Data;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Training;

namespace Mfr.Tests.Cli.Rendering;

public sealed class KSweepTablesTests
{
    private static KSweepResult Result(double[]? pairMmcs)
    {
        var config = new KSweepConfig(new DataSpecification("file", Path: "train.npy"), 16, [2, 4], new TrainingConfig(SampleCount: 100, BatchSize: 50), new MfrConfig());
        var rows = new[] { new KSweepRow(2, 1.0, 0.9, -0.1, 2, 2, 0, 0), new KSweepRow(4, 0.8, 0.7, -0.125, 4, 4, 0, 0) };
        double[][] distances = [[0, 1], [1, 0]];
        return new KSweepResult(config, rows, distances, distances, 100, 1, pairMmcs);
    }

    [Fact]
    public void Render_GivesTheCoupledSaesMmcs_AndNotesACollapse()
    {
        string apart = KSweepTables.Render(Result([0.41, 0.52, 0.33]));
        string collapsed = KSweepTables.Render(Result([0.995, 0.999]));

        Assert.Contains("MMCS between the coupled MFR SAEs at the last step: mean 0.420, 0.330 to 0.520 over 3 pair(s).", apart);
        Assert.DoesNotContain("same dictionary", apart);
        Assert.Contains("Note: the coupled SAEs learned the same dictionary", collapsed);
    }

    [Fact]
    public void Render_SaysNothingOfCoupling_WithoutAPenalty()
    {
        Assert.DoesNotContain("coupled MFR SAEs", KSweepTables.Render(Result(null)));
    }
}

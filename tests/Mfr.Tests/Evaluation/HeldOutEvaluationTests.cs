using Mfr.Evaluation;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Evaluation;

public sealed class HeldOutEvaluationTests
{
    [Fact]
    public void SaveThenLoad_KeepsEveryFieldAndEveryFiringFrequency()
    {
        using var folder = new TemporaryDirectory();
        var evaluation = new HeldOutEvaluation("synthetic (d=16)", 1L << 32, 3, 100,
            [new ReconstructionMetrics(300, 0.25, 0.5, 3, 1, [0, 1.0 / 3, 0.01, 1]), new ReconstructionMetrics(300, 0.2, 0.4, 3, 0, [0.5, 0.25, 0.125, 0.0625])]);

        evaluation.Save(folder.Path);
        var loaded = HeldOutEvaluation.Load(folder.Path)!;

        Assert.Equal(folder.Combine("final", "evaluation.json"), HeldOutEvaluation.PathFor(folder.Path));
        Assert.Equal(evaluation.Data, loaded.Data);
        Assert.Equal(evaluation.FirstBatch, loaded.FirstBatch);
        Assert.Equal(2, loaded.Saes.Length);
        Assert.Equal(evaluation.Saes[0].FiringFrequencies, loaded.Saes[0].FiringFrequencies);
        var (expected, actual) = (evaluation.Saes[1], loaded.Saes[1]);
        Assert.Equal((expected.Samples, expected.Mse, expected.Fvu, expected.L0, expected.DeadLatents), (actual.Samples, actual.Mse, actual.Fvu, actual.L0, actual.DeadLatents));
    }

    [Fact]
    public void Load_OfARunWithoutTheFile_IsNull()
    {
        using var folder = new TemporaryDirectory();

        Assert.Null(HeldOutEvaluation.Load(folder.Path));
    }
}

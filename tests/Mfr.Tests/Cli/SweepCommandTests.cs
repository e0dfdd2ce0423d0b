using Mfr.Cli;
using Mfr.Tests.Eeg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

public sealed class SweepCommandTests
{
    [Fact]
    public void Sweep_OnNpyFiles_PrintsOneRowPerK_AndDecoderDistances()
    {
        using var folder = new TemporaryDirectory();
        var rng = new Mfr.Numerics.Rng(8);
        var vectors = new float[400 * 10];
        rng.FillGaussian(vectors);
        Mfr.IO.NpyWriter.Write(folder.Combine("train.npy"), [300, 10], vectors.AsSpan(0, 3000));
        Mfr.IO.NpyWriter.Write(folder.Combine("heldout.npy"), [100, 10], vectors.AsSpan(3000));
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CliApplication.Run(["sweep", "--data", folder.Combine("train.npy"), "--held-out", folder.Combine("heldout.npy"), "--latents", "16", "--k", "2", "4",
            "--samples", "500", "--batch-size", "50", "--warmup", "3", "--refresh", "2", "--out", folder.Combine("sweep")], output, error);

        Assert.True(code == 0, error.ToString());
        string text = output.ToString();
        Assert.Contains("over 100 vectors", text);
        Assert.Contains("k=4", text);
        Assert.Contains("MMCS between the coupled MFR SAEs at the last step: mean", text);
        Assert.Contains("over 1 pair(s)", text);
        Assert.True(File.Exists(folder.Combine("sweep", "results.json")));
        Assert.True(File.Exists(folder.Combine("sweep", "mfr", "final", "sae-1", "cfg.json")));
    }

    [Fact]
    public void Sweep_ReportsTheLossOverTheWholeHeldOutFile_WhenItSpansManyBatches()
    {
        // Given a held-out file of 24 training batches (GPT-2's held-out part is 41 batches of 500)
        using var folder = new TemporaryDirectory();
        var vectors = new float[1500 * 10];
        new Mfr.Numerics.Rng(10).FillGaussian(vectors);
        Mfr.IO.NpyWriter.Write(folder.Combine("train.npy"), [300, 10], vectors.AsSpan(0, 3000));
        Mfr.IO.NpyWriter.Write(folder.Combine("heldout.npy"), [1200, 10], vectors.AsSpan(3000));
        var output = new StringWriter();

        // When
        int code = CliApplication.Run(["sweep", "--data", folder.Combine("train.npy"), "--held-out", folder.Combine("heldout.npy"), "--latents", "16", "--k", "2", "4",
            "--samples", "100", "--batch-size", "50", "--warmup", "2", "--out", folder.Combine("sweep")], output, new StringWriter());

        // Then
        Assert.Equal(0, code);
        Assert.Contains("over 1,200 vectors", output.ToString());
    }

    [Fact]
    public void Sweep_ChecksOnlyTheInitialDraw_ByDefault_AndTakesTheModeAndWindowFlags()
    {
        // Given
        using var folder = new TemporaryDirectory();
        var vectors = new float[300 * 6];
        new Mfr.Numerics.Rng(9).FillGaussian(vectors);
        Mfr.IO.NpyWriter.Write(folder.Combine("train.npy"), [300, 6], vectors);
        string[] common = ["sweep", "--data", folder.Combine("train.npy"), "--latents", "8", "--k", "2", "3", "--samples", "100", "--batch-size", "50", "--warmup", "2"];

        // When
        int byDefault = CliApplication.Run([.. common, "--out", folder.Combine("a")], new StringWriter(), new StringWriter());
        int chosen = CliApplication.Run([.. common, "--mode", "penalty", "--reinit-window", "7", "--out", folder.Combine("b")], new StringWriter(), new StringWriter());
        var error = new StringWriter();
        int refused = CliApplication.Run([.. common, "--mode", "baseline", "--out", folder.Combine("c")], new StringWriter(), error);

        // Then
        Assert.Equal(0, byDefault);
        Assert.Equal(0, chosen);
        var first = Mfr.Training.TrainingRun.ReadSpecification(folder.Combine("a", "mfr")).Regularization!;
        var second = Mfr.Training.TrainingRun.ReadSpecification(folder.Combine("b", "mfr")).Regularization!;
        Assert.Equal((Mfr.Regularization.MfrMode.Mfr, 1L), (first.Mode, first.ReinitializationSettings.WindowSteps));
        Assert.Equal((Mfr.Regularization.MfrMode.Penalty, 7L), (second.Mode, second.ReinitializationSettings.WindowSteps));
        Assert.Equal(2, refused);
        Assert.Contains("--mode", error.ToString());
    }

    [Fact]
    public void Sweep_WarnsWhenTheReinitThresholdIsNearTheSamplingFloor_OnlyThen()
    {
        // Given batches of 20 at h 64: k = 1 gives B k / h = 0.31 expected firings per latent (floor far above 2.5), k = 16 gives 5
        using var folder = new TemporaryDirectory();
        var vectors = new float[200 * 4];
        new Mfr.Numerics.Rng(2).FillGaussian(vectors);
        Mfr.IO.NpyWriter.Write(folder.Combine("train.npy"), [200, 4], vectors);
        string[] common = ["sweep", "--data", folder.Combine("train.npy"), "--latents", "64", "--samples", "40", "--batch-size", "20", "--warmup", "1"];
        var noisy = new StringWriter();
        var quiet = new StringWriter();

        // When
        CliApplication.Run([.. common, "--k", "1", "16", "--out", folder.Combine("a")], new StringWriter(), noisy);
        CliApplication.Run([.. common, "--k", "16", "32", "--out", folder.Combine("b")], new StringWriter(), quiet);

        // Then
        Assert.Contains("warning: at batch 20, h 64, k 1 ", noisy.ToString());
        Assert.DoesNotContain("k 16 a perfectly", noisy.ToString());
        Assert.DoesNotContain("warning", quiet.ToString());
    }

    [EegmatFact]
    public void Eeg_OnTheEegmatFolder_PreparesOnce_AndRunsTheSweep()
    {
        using var folder = new TemporaryDirectory();
        var args = new[] { "eeg", "--folder", EegTestData.EegmatFolder!, "--latents", "32", "--k", "3", "6", "--samples", "512", "--batch-size", "256", "--out", folder.Combine("eeg") };
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CliApplication.Run(args, output, error);

        Assert.True(code == 0, error.ToString());
        Assert.Contains("prepared", error.ToString());
        Assert.Contains("k=6", output.ToString());
        // 19 channels x 250 Hz after resampling
        using var train = Mfr.IO.NpyFile.Open(folder.Combine("eeg", "data", "train.npy"));
        Assert.Equal(19 * 250, train.RowLength);
    }
}

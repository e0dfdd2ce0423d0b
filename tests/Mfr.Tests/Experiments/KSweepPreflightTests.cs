using Mfr.Data;
using Mfr.Experiments;
using Mfr.IO;
using Mfr.Regularization;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Experiments;

/// <summary>Issue 13, class 5: a sweep checks its held-out file and both ensembles before the baseline trains.</summary>
public sealed class KSweepPreflightTests
{
    private static string Npy(TemporaryDirectory folder, string name, long rows, int width)
    {
        var values = new float[rows * width];
        new Mfr.Numerics.Rng(8).FillGaussian(values);
        NpyWriter.Write(folder.Combine(name), [rows, width], values);
        return folder.Combine(name);
    }

    [Fact]
    public void HeldOutFileOfAnotherWidth_IsRefusedBeforeTheBaselineTrains()
    {
        using var folder = new TemporaryDirectory();
        var data = new DataSpecification("file", Path: Npy(folder, "train.npy", 200, 6), HeldOutPath: Npy(folder, "heldout.npy", 40, 7));
        var config = new KSweepConfig(data, 8, [2, 3], new TrainingConfig(SampleCount: 400, BatchSize: 50), new MfrConfig(WarmupSteps: 2));

        var exception = Assert.Throws<InvalidDataException>(() => KSweep.Run(config, folder.Combine("out")));

        Assert.Contains("heldout.npy", exception.Message);
        Assert.False(Directory.Exists(folder.Combine("out")));
    }

    [Fact]
    public void MoreKValuesThanTheMfrEnsembleCanCouple_AreRefusedByValidate()
    {
        // Given 65 k values: the baseline would train, then the MFR ensemble (at most 64 SAEs) fail to build
        var ks = Enumerable.Range(1, 65).ToArray();
        var config = new KSweepConfig(DataSpecification.ForSynthetic(new()), 128, ks, new TrainingConfig(), new MfrConfig());

        var exception = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains("65 k values", exception.Message);
    }

    [Fact]
    public void KLargerThanTheLatentCount_IsRefusedByValidate()
    {
        var config = new KSweepConfig(DataSpecification.ForSynthetic(new()), 16, [4, 32], new TrainingConfig(), new MfrConfig());

        var exception = Assert.Throws<ArgumentException>(config.Validate);

        Assert.Contains("got 32", exception.Message);
    }
}

using Mfr.Tests.TestSupport;
using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

/// <summary>Issue 13, class 5: an EEG cache without held-out recordings is refused before any recording is filtered.</summary>
public sealed class EegHeldOutCheckTests
{
    private static void WriteRecordings(TemporaryDirectory folder, int count)
    {
        for (int i = 0; i < count; i++)
            folder.Write($"in/rec{i}.edf", SyntheticEeg.File(SyntheticEeg.EegmatLabels, 100, 2, seed: (ulong)i + 1).Build());
    }

    [Fact]
    public void HeldOutFractionZero_IsRefusedBeforePreprocessing_NamingTheFlag()
    {
        using var folder = new TemporaryDirectory();
        WriteRecordings(folder, 3);

        var exception = Assert.Throws<ArgumentException>(() => EegDatasetCache.Prepare(folder.File("in"), new EegPreprocessingConfig { HeldOutFraction = 0 }, folder.File("cache")));

        Assert.Contains("--held-out-fraction", exception.Message);
        Assert.False(File.Exists(Path.Combine(folder.File("cache"), EegDatasetCache.TrainFileName)));
    }

    [Fact]
    public void HeldOutFractionOne_NamesTheFlag()
    {
        var exception = Assert.Throws<ArgumentException>(new EegPreprocessingConfig { HeldOutFraction = 1 }.Validate);

        Assert.StartsWith("--held-out-fraction (preprocessing.heldOutFraction) is 1;", exception.Message);
    }

    [Fact]
    public void OneUsableRecording_IsRefusedBeforePreprocessing()
    {
        using var folder = new TemporaryDirectory();
        WriteRecordings(folder, 1);

        var exception = Assert.Throws<InvalidDataException>(() => EegDatasetCache.Prepare(folder.File("in"), new EegPreprocessingConfig { HeldOutFraction = 0.2 }, folder.File("cache")));

        Assert.Contains("1 usable recording", exception.Message);
        Assert.False(File.Exists(Path.Combine(folder.File("cache"), EegDatasetCache.TrainFileName)));
    }

    [Fact]
    public void TwoRecordings_WithAPositiveFraction_HoldOneOut()
    {
        using var folder = new TemporaryDirectory();
        WriteRecordings(folder, 2);

        var cache = EegDatasetCache.Prepare(folder.File("in"), new EegPreprocessingConfig { HeldOutFraction = 0.2 }, folder.File("cache"));

        Assert.True(cache.Manifest.HeldOutSegmentCount > 0);
        Assert.True(cache.Manifest.TrainSegmentCount > 0);
    }
}

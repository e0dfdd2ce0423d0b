using System.Security.Cryptography;
using Mfr.Eeg;
using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Eeg;

public sealed class EegDatasetCacheTests
{
    private static readonly EegPreprocessingConfig Config = new() { HeldOutFraction = 0.4, SplitSeed = 11 };

    /// <summary>Five files: four usable (2-3 s at 100 Hz, different data), one lacking O2 (named to sort last: the first file sets the channel set).</summary>
    private static void WriteFolder(TemporaryDirectory folder)
    {
        for (int i = 0; i < 4; i++)
            folder.Write($"in/rec{i}.edf", SyntheticEeg.File(SyntheticEeg.EegmatLabels, 100, 2 + i % 2, seed: (ulong)i + 1).Build());
        folder.Write("in/zz_odd.edf", SyntheticEeg.File(SyntheticEeg.EegmatLabels.Where(l => l != "EEG O2"), 100, 2).Build());
    }

    private static float[] ReadAll(string path)
    {
        using var npy = NpyFile.Open(path);
        return npy.RowCount == 0 ? [] : npy.ReadAll();
    }

    [Fact]
    public void Prepare_WritesTheSplitSegmentsAsNpyInRecordingOrder()
    {
        // Given
        using var folder = new TemporaryDirectory();
        WriteFolder(folder);
        string input = folder.File("in");

        // When
        var cache = EegDatasetCache.Prepare(input, Config, folder.File("cache"));

        // Then: the rows of each file are the in-memory pipeline's segments of that split's recordings, in name order
        var expected = new EegPreprocessor(Config).PrepareFolder(input);
        var split = EegSplit.ByRecording(expected.Recordings.Select(r => r.Name).ToArray(), 0.4, 11);
        float[] expectedTrain = expected.Recordings.Where(r => !split.IsHeldOut(r.Name)).SelectMany(r => r.Segments).ToArray();
        float[] expectedHeldOut = expected.Recordings.Where(r => split.IsHeldOut(r.Name)).SelectMany(r => r.Segments).ToArray();
        Assert.False(cache.Reused);
        Assert.Equal(2, split.HeldOut.Count);
        Assert.Equal(expectedTrain, ReadAll(cache.TrainPath));
        Assert.Equal(expectedHeldOut, ReadAll(cache.HeldOutPath));
        using var train = NpyFile.Open(cache.TrainPath);
        Assert.Equal(19 * 100, train.RowLength);
        Assert.Equal(cache.Manifest.TrainSegmentCount, train.RowCount);
    }

    [Fact]
    public void Manifest_RecordsSourcesSettingsLayoutRowsAndSkippedFiles()
    {
        using var folder = new TemporaryDirectory();
        WriteFolder(folder);

        EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache"));
        var manifest = EegDatasetCache.ReadManifest(folder.File("cache"));

        Assert.Equal(["rec0.edf", "rec1.edf", "rec2.edf", "rec3.edf", "zz_odd.edf"], manifest.Sources.Select(s => s.Name));
        byte[] rec0 = File.ReadAllBytes(folder.File("in/rec0.edf"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(rec0)), manifest.Sources[0].Sha256);
        Assert.Equal(rec0.Length, manifest.Sources[0].Bytes);
        Assert.Equal(11UL, manifest.Settings.SplitSeed);
        Assert.Equal(0.4, manifest.Settings.HeldOutFraction);
        Assert.Equal(EegChannelLabels.Standard1020, manifest.ChannelLabels);
        Assert.Equal(100, manifest.SamplingRateHz);
        Assert.Equal(1900, manifest.VectorLength);
        Assert.Equal("zz_odd.edf", Assert.Single(manifest.SkippedFiles).Name);
        Assert.Contains("missing O2", manifest.SkippedFiles[0].Reason);
        Assert.Equal([2, 3, 2, 3], manifest.Recordings.Select(r => r.SegmentCount));
        Assert.Equal(2, manifest.Recordings.Count(r => r.Split == "heldout"));
        foreach (string split in new[] { "train", "heldout" })
        {
            long row = 0;
            foreach (var recording in manifest.Recordings.Where(r => r.Split == split))
            {
                Assert.Equal(row, recording.FirstRow);
                row += recording.SegmentCount;
            }
            Assert.Equal(split == "train" ? manifest.TrainSegmentCount : manifest.HeldOutSegmentCount, row);
        }
    }

    [Fact]
    public void SecondPrepareWithTheSameInputsAndSettings_ReusesTheCacheWithoutRecomputing()
    {
        using var folder = new TemporaryDirectory();
        WriteFolder(folder);
        var first = EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache"));
        var writtenAt = File.GetLastWriteTimeUtc(first.TrainPath);
        int reports = 0;

        var second = EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache"), new SynchronousProgress(_ => reports++));

        Assert.True(second.Reused);
        Assert.Equal(0, reports);
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(second.TrainPath));
        Assert.Equal(first.Manifest.TrainSegmentCount, second.Manifest.TrainSegmentCount);
    }

    [Fact]
    public void ChangedSetting_Recomputes()
    {
        using var folder = new TemporaryDirectory();
        WriteFolder(folder);
        EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache"));

        var again = EegDatasetCache.Prepare(folder.File("in"), Config with { SplitSeed = 12 }, folder.File("cache"));

        Assert.False(again.Reused);
        Assert.Equal(12UL, EegDatasetCache.ReadManifest(folder.File("cache")).Settings.SplitSeed);
    }

    [Fact]
    public void ChangedFileContent_Recomputes()
    {
        using var folder = new TemporaryDirectory();
        WriteFolder(folder);
        EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache"));
        folder.Write("in/rec2.edf", SyntheticEeg.File(SyntheticEeg.EegmatLabels, 100, 2, seed: 99).Build());

        var again = EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache"));

        Assert.False(again.Reused);
    }

    [Fact]
    public void MissingNpyFile_Recomputes()
    {
        using var folder = new TemporaryDirectory();
        WriteFolder(folder);
        var first = EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache"));
        File.Delete(first.HeldOutPath);

        var again = EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache"));

        Assert.False(again.Reused);
        Assert.True(File.Exists(again.HeldOutPath));
    }

    [Fact]
    public void FolderWithoutEdfFiles_IsRefused()
    {
        using var folder = new TemporaryDirectory();
        folder.Write("in/readme.txt", [65]);

        var error = Assert.Throws<InvalidDataException>(() => EegDatasetCache.Prepare(folder.File("in"), Config, folder.File("cache")));

        Assert.Contains("no .edf or .bdf files", error.Message);
    }

    private sealed class SynchronousProgress(Action<EegPreparationProgress> report) : IProgress<EegPreparationProgress>
    {
        public void Report(EegPreparationProgress value) => report(value);
    }
}

using Mfr.Eeg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Eeg;

public sealed class EegPreprocessorTests
{
    private static readonly string[] Eegmat = SyntheticEeg.EegmatLabels;

    private static EegPreprocessingResult PrepareFolder(string folder, EegPreprocessingConfig? config = null) =>
        new EegPreprocessor(config ?? new EegPreprocessingConfig()).PrepareFolder(folder);

    public sealed class ChannelSelection
    {
        [Fact]
        public void Default_KeepsThe1020ChannelsInFileOrderAndDropsReferenceEcgAndAnnotations()
        {
            // Given an eegmat-like file: 19 EEG + A2-A1 + ECG + annotations
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 100, 3).Build());

            // When
            var result = PrepareFolder(folder.Path);

            // Then
            Assert.Equal(EegChannelLabels.Standard1020, result.ChannelLabels);
            Assert.Equal(100, result.SamplingRateHz);
            Assert.Equal(19 * 100, result.VectorLength);
            Assert.Equal(3, result.Recordings.Single().SegmentCount);
            Assert.Equal(3 * 19 * 100, result.Recordings.Single().Segments.Length);
        }

        [Fact]
        public void TuhStyleLabels_MatchEegmatStyleLabels()
        {
            // Given the same electrodes labelled "EEG Fp1" in one file and "EEG FP1-REF" in another
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 100, 2).Build());
            folder.Write("b.edf", SyntheticEeg.File(Eegmat.Select(l => l.ToUpperInvariant() + "-REF"), 100, 2).Build());

            var result = PrepareFolder(folder.Path);

            Assert.Equal(2, result.Recordings.Count);
            Assert.Empty(result.SkippedFiles);
        }

        [Fact]
        public void FileWithTheSameChannelsInAnotherOrder_IsReorderedToTheFirstFilesOrder()
        {
            // Given b.edf holding a.edf's channels (same data per label) in reverse order, plus a non-10-20 channel
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 100, 2).Build());
            folder.Write("b.edf", SyntheticEeg.File(Eegmat.Reverse().Append("EEG T1-REF"), 100, 2).Build());

            var result = PrepareFolder(folder.Path);

            Assert.Equal(result.Recordings[0].Segments, result.Recordings[1].Segments);
        }

        [Fact]
        public void FileWithAnotherChannelSet_IsSkippedWithTheReasonNeverMixedIn()
        {
            // Given b.edf lacking O2
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 100, 2).Build());
            folder.Write("b.edf", SyntheticEeg.File(Eegmat.Where(l => l != "EEG O2"), 100, 2).Build());
            folder.Write("c.edf", SyntheticEeg.File(Eegmat, 100, 2, seed: 2).Build());

            var result = PrepareFolder(folder.Path);

            Assert.Equal(["a.edf", "c.edf"], result.Recordings.Select(r => r.Name));
            var skipped = Assert.Single(result.SkippedFiles);
            Assert.Equal("b.edf", skipped.Name);
            Assert.Contains("missing O2", skipped.Reason);
            Assert.Contains("a.edf", skipped.Reason);
        }

        [Fact]
        public void ExplicitLabels_SetTheVectorOrderAndSkipFilesLackingOne()
        {
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 100, 2).Build());
            folder.Write("b.edf", SyntheticEeg.File(Eegmat.Where(l => l != "EEG Cz"), 100, 2).Build());
            var config = new EegPreprocessingConfig { ChannelLabels = ["Cz", "EEG FP1-REF", "o2"] };

            var result = PrepareFolder(folder.Path, config);

            Assert.Equal(["CZ", "FP1", "O2"], result.ChannelLabels);
            Assert.Equal(3 * 100, result.VectorLength);
            Assert.Equal("b.edf", Assert.Single(result.SkippedFiles).Name);
            Assert.Contains("missing CZ", result.SkippedFiles[0].Reason);
        }

        [Fact]
        public void ChannelAtALessCommonRate_IsDroppedAndTheReasonSaysSo()
        {
            // Given b.edf whose Fp1 is at 50 Hz while its other channels are at 100 Hz
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 100, 2).Build());
            folder.Write("b.edf", SyntheticEeg.File(Eegmat, 100, 2, rateOverrides: new Dictionary<string, int> { ["EEG Fp1"] = 50 }).Build());

            var result = PrepareFolder(folder.Path);

            var skipped = Assert.Single(result.SkippedFiles);
            Assert.Contains("missing FP1", skipped.Reason);
            Assert.Contains("FP1 is at 50 Hz", skipped.Reason);
        }
    }

    public sealed class SamplingRates
    {
        [Fact]
        public void WithoutATarget_AFileAtAnotherRateIsSkipped()
        {
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 100, 2).Build());
            folder.Write("b.edf", SyntheticEeg.File(Eegmat, 128, 2).Build());

            var result = PrepareFolder(folder.Path);

            Assert.Equal("b.edf", Assert.Single(result.SkippedFiles).Name);
            Assert.Contains("128 Hz", result.SkippedFiles[0].Reason);
            Assert.Contains("target sampling rate", result.SkippedFiles[0].Reason);
        }

        [Fact]
        public void WithATarget_EveryFileIsResampledToIt()
        {
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 250, 2).Build());
            folder.Write("b.edf", SyntheticEeg.File(Eegmat, 256, 3).Build());

            var result = PrepareFolder(folder.Path, new EegPreprocessingConfig { TargetSamplingRateHz = 200 });

            Assert.Empty(result.SkippedFiles);
            Assert.Equal(200, result.SamplingRateHz);
            Assert.Equal([2, 3], result.Recordings.Select(r => r.SegmentCount));
            Assert.Equal([250, 256], result.Recordings.Select(r => r.SourceSamplingRateHz));
            Assert.Equal(3 * 19 * 200, result.Recordings[1].Segments.Length);
        }
    }

    public sealed class Segments
    {
        [Fact]
        public void PartialLastSecond_GivesAZeroPaddedZScoredSegment()
        {
            // Given 3.5 s at 100 Hz (records of 0.5 s)
            using var folder = new TemporaryDirectory();
            var file = SyntheticEeg.File(Eegmat, 50, 7);
            file.Fields["duration"] = "0.5";
            folder.Write("a.edf", file.Build());

            // When
            var recording = PrepareFolder(folder.Path).Recordings.Single();

            // Then: 4 segments; in the last one every channel has 50 real samples then 50 equal padded values,
            // and the whole padded piece has mean 0 and population std 1
            Assert.Equal(4, recording.SegmentCount);
            for (int c = 0; c < 19; c++)
            {
                var piece = recording.Segments.AsSpan(3 * 1900 + c * 100, 100).ToArray();
                Assert.All(piece[50..], v => Assert.Equal(piece[50], v));
                Assert.NotEqual(piece[48], piece[49]);
                double mean = piece.Average(v => (double)v);
                Assert.Equal(0, mean, 1e-5);
                Assert.Equal(1, Math.Sqrt(piece.Average(v => (v - mean) * (v - mean))), 1e-5);
            }
        }

        [Fact]
        public void Recordings_AreInNameOrderWithProgressPerFile()
        {
            using var folder = new TemporaryDirectory();
            foreach (string name in new[] { "sub/b.edf", "c.EDF", "a.edf" })
                folder.Write(name, SyntheticEeg.File(Eegmat, 100, 2).Build());
            var reports = new List<EegPreparationProgress>();
            var progress = new SynchronousProgress(reports.Add);

            var result = new EegPreprocessor(new EegPreprocessingConfig()).PrepareFolder(folder.Path, progress);

            Assert.Equal(["a.edf", "c.EDF", "sub/b.edf"], result.Recordings.Select(r => r.Name));
            Assert.Equal([1, 2, 3], reports.Select(p => p.FilesDone));
            Assert.Equal(6, reports[^1].SegmentCount);
        }
    }

    public sealed class BadFiles
    {
        [Fact]
        public void TruncatedDiscontinuousAndTooShortFiles_AreSkippedWithReasons()
        {
            using var folder = new TemporaryDirectory();
            folder.Write("a.edf", SyntheticEeg.File(Eegmat, 100, 2).Build());
            folder.Write("b.edf", SyntheticEeg.File(Eegmat, 100, 2).Build()[..^7]);
            var discontinuous = SyntheticEeg.File(Eegmat, 100, 2);
            discontinuous.Fields["reserved"] = "EDF+D";
            folder.Write("c.edf", discontinuous.Build());
            var tiny = SyntheticEeg.File(Eegmat, 10, 3);
            tiny.Fields["duration"] = "0.1";
            folder.Write("d.edf", tiny.Build());
            folder.Write("notes.txt", [1, 2, 3]);

            var result = PrepareFolder(folder.Path);

            Assert.Equal("a.edf", Assert.Single(result.Recordings).Name);
            Assert.Equal(["b.edf", "c.edf", "d.edf"], result.SkippedFiles.Select(s => s.Name));
            Assert.Contains("7 bytes are missing", result.SkippedFiles[0].Reason);
            Assert.Contains("EDF+D", result.SkippedFiles[1].Reason);
            Assert.Contains("too short", result.SkippedFiles[2].Reason);
        }

        [Fact]
        public void BrokenScalingOnAnUnusedChannel_DoesNotSkipTheFile_OnAUsedChannelItDoes()
        {
            // Given a.edf whose ECG (not selected) has physical min = max, and b.edf where Cz has it
            using var folder = new TemporaryDirectory();
            var a = SyntheticEeg.File(Eegmat, 100, 2);
            a.SignalFields[20]["physicalMax"] = a.SignalFields[20]["physicalMin"];
            folder.Write("a.edf", a.Build());
            var b = SyntheticEeg.File(Eegmat, 100, 2);
            b.SignalFields[17]["physicalMax"] = b.SignalFields[17]["physicalMin"];
            folder.Write("b.edf", b.Build());

            var result = PrepareFolder(folder.Path);

            Assert.Equal("a.edf", Assert.Single(result.Recordings).Name);
            Assert.Contains("EEG Cz", Assert.Single(result.SkippedFiles).Reason);
        }

        [Fact]
        public void NoUsableFile_IsRefusedListingTheReasons()
        {
            using var folder = new TemporaryDirectory();
            folder.Write("x.edf", SyntheticEeg.File(["ECG ECG"], 100, 2, withExtras: false).Build());

            var error = Assert.Throws<InvalidDataException>(() => PrepareFolder(folder.Path));

            Assert.Contains("none of the 1 EEG files is usable", error.Message);
            Assert.Contains("no 10-20 EEG channels", error.Message);
        }

        [Fact]
        public void MissingFolder_ThrowsDirectoryNotFound()
        {
            using var folder = new TemporaryDirectory();

            Assert.Throws<DirectoryNotFoundException>(() => PrepareFolder(folder.File("absent")));
        }
    }

    public sealed class TheRealEegmatFile
    {
        private sealed record Excerpt(int Segment, int Channel, int Offset, double[] Values);

        private sealed record RateGolden(int SamplingRateHz, int SegmentCount, int VectorLength, double[] SegmentAbsSums, Excerpt[] Excerpts);

        private sealed record PipelineGolden(string[] ChannelLabels, RateGolden[] Rates);

        [EegmatTheory]
        [InlineData(250)]
        [InlineData(500)]
        public void Subject00_2_MatchesTheNumpyScipyPipeline(int samplingRateHz)
        {
            // Given tools/golden/eeg_pipeline_golden.py: numpy decode, resample_poly, sosfiltfilt, segment, z-score
            var golden = EegGolden.Read<PipelineGolden>("eeg_pipeline_subject00_2.json");
            var rate = golden.Rates.Single(r => r.SamplingRateHz == samplingRateHz);
            string folder = EegTestData.EegmatFolder!;
            var config = new EegPreprocessingConfig { TargetSamplingRateHz = samplingRateHz == 500 ? null : samplingRateHz };

            // When
            var result = new EegPreprocessor(config).Prepare([Path.Combine(folder, "Subject00_2.edf")], folder);

            // Then (float32 output of z-scored values: 1e-5 absolute)
            Assert.Equal(golden.ChannelLabels, result.ChannelLabels);
            var recording = Assert.Single(result.Recordings);
            Assert.Equal(rate.SegmentCount, recording.SegmentCount);
            Assert.Equal(rate.VectorLength, result.VectorLength);
            foreach (var excerpt in rate.Excerpts)
            {
                var actual = recording.Segments.AsSpan(excerpt.Segment * rate.VectorLength + excerpt.Offset, excerpt.Values.Length);
                for (int i = 0; i < excerpt.Values.Length; i++)
                    Assert.True(Math.Abs(actual[i] - excerpt.Values[i]) < 1e-5, $"segment {excerpt.Segment} channel {excerpt.Channel} [{i}]: {actual[i]} vs {excerpt.Values[i]}");
            }
            for (int s = 0; s < rate.SegmentCount; s++)
            {
                double sum = 0;
                foreach (float v in recording.Segments.AsSpan(s * rate.VectorLength, rate.VectorLength)) sum += Math.Abs(v);
                Assert.True(Math.Abs(sum - rate.SegmentAbsSums[s]) < 1e-6 * rate.SegmentAbsSums[s], $"segment {s}: sum |v| {sum} vs {rate.SegmentAbsSums[s]}");
            }
        }
    }

    /// <summary>IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<EegPreparationProgress> report) : IProgress<EegPreparationProgress>
    {
        public void Report(EegPreparationProgress value) => report(value);
    }
}

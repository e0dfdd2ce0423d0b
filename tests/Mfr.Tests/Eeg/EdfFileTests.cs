using System.Text.Json;
using Mfr.Eeg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Eeg;

public sealed class EdfFileTests
{
    private static int[] Ramp(int count, int start, int step) => Enumerable.Range(0, count).Select(i => start + i * step).ToArray();

    private static EdfTestFile TwoSignalEdfPlus(int records = 3, string reserved = "EDF+C") => new(
        [
            new EdfTestSignal("EEG Fp1", 4, Ramp(4 * records, -300, 17), -45.17, 59.36),
            EdfTestSignal.Annotations(8),
            new EdfTestSignal("ECG ECG", 2, Ramp(2 * records, 1000, -5), -3.5, 1.25, Dimension: "mV"),
        ],
        records, reserved: reserved);

    public sealed class TheOpenMethod
    {
        [Fact]
        public void ValidEdfPlus_ParsesFixedAndSignalHeaderFields()
        {
            // Given
            using var folder = new TemporaryDirectory();
            var test = TwoSignalEdfPlus(records: 3);
            test.Fields["duration"] = "0.5";
            string path = folder.Write("a.edf", test.Build());

            // When
            using var edf = EdfFile.Open(path);

            // Then
            var header = edf.Header;
            Assert.Equal(EdfFormat.EdfPlusContinuous, header.Format);
            Assert.Equal("0", header.Version);
            Assert.Equal("X M 01-JAN-1990 Test", header.PatientId);
            Assert.Equal(new DateTime(2020, 1, 1, 10, 20, 30), header.StartDateTime);
            Assert.Equal(256 * 4, header.HeaderBytes);
            Assert.Equal(3, header.RecordCount);
            Assert.Equal(0.5, header.RecordDurationSeconds);
            Assert.Equal(1.5, header.DurationSeconds);
            Assert.Equal(["EEG Fp1", "EDF Annotations", "ECG ECG"], header.Signals.Select(s => s.Label));
            Assert.Equal([8.0, 0.0, 4.0], header.Signals.Select(s => s.SamplingRateHz));
            Assert.Equal("mV", header.Signals[2].PhysicalDimension);
            Assert.Equal(-45.17, header.Signals[0].PhysicalMinimum);
            Assert.Equal(32767, header.Signals[0].DigitalMaximum);
        }

        [Fact]
        public void EdfPlusAnnotationSignal_IsRecognisedAndLeftOutOfDataSignals()
        {
            using var folder = new TemporaryDirectory();
            string path = folder.Write("a.edf", TwoSignalEdfPlus().Build());

            using var edf = EdfFile.Open(path);

            Assert.True(edf.Header.Signals[1].IsAnnotation);
            Assert.False(edf.Header.Signals[0].IsAnnotation);
            Assert.Equal([0, 2], edf.Header.DataSignalIndices);
        }

        [Fact]
        public void PlainEdf_HasEdfFormat()
        {
            using var folder = new TemporaryDirectory();
            var test = new EdfTestFile([new EdfTestSignal("EEG C3-REF", 5, Ramp(10, 0, 1))], 2);

            using var edf = EdfFile.Open(folder.Write("a.edf", test.Build()));

            Assert.Equal(EdfFormat.Edf, edf.Header.Format);
            Assert.Equal(5.0, edf.Header.Signals[0].SamplingRateHz);
        }

        [Fact]
        public void DiscontinuousEdfPlusD_IsRefused()
        {
            using var folder = new TemporaryDirectory();
            string path = folder.Write("d.edf", TwoSignalEdfPlus(reserved: "EDF+D").Build());

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains("EDF+D", error.Message);
            Assert.Contains("discontinuous", error.Message);
            Assert.Contains(path, error.Message);
        }

        [Fact]
        public void TruncatedFile_IsRefusedWithTheByteCounts()
        {
            // Given 3 records of 4*2 + 8*2 + 2*2 = 28 bytes after a 1024-byte header, minus 10 bytes
            using var folder = new TemporaryDirectory();
            byte[] bytes = TwoSignalEdfPlus(records: 3).Build();
            string path = folder.Write("t.edf", bytes[..^10]);

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains("truncated", error.Message);
            Assert.Contains("10 bytes are missing", error.Message);
            Assert.Contains($"{1024 + 3 * 28}", error.Message);
            Assert.Contains("28 bytes", error.Message);
        }

        [Fact]
        public void CrlfCorruptedCopy_IsRefusedAsExtraBytes()
        {
            // Given every 0x0A data byte preceded by an inserted 0x0D (LF -> CRLF conversion)
            using var folder = new TemporaryDirectory();
            var test = new EdfTestFile([new EdfTestSignal("EEG O1", 4, [0x0A, 0x0A0A, 5, 0x0A])], 1);
            byte[] original = test.Build();
            var corrupted = original.Take(512).ToList();
            foreach (byte b in original.Skip(512))
            {
                if (b == 0x0A) corrupted.Add(0x0D);
                corrupted.Add(b);
            }
            string path = folder.Write("crlf.edf", corrupted.ToArray());

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains("4 extra bytes", error.Message);
            Assert.Contains("CRLF", error.Message);
        }

        [Theory]
        [InlineData("records", null, "abc", "number of data records")]
        [InlineData("duration", null, "1,0", "duration of a data record")]
        [InlineData("headerBytes", null, "x256", "number of bytes in header record")]
        [InlineData(null, "physicalMin", "-4.5e", "physical minimum of signal 1")]
        [InlineData(null, "digitalMax", "32767.5", "digital maximum of signal 1")]
        [InlineData(null, "samples", "", "number of samples in each data record of signal 1")]
        public void BadNumberInAHeaderField_IsRefusedNamingTheField(string? field, string? signalField, string text, string expectedName)
        {
            using var folder = new TemporaryDirectory();
            var test = TwoSignalEdfPlus();
            if (field is not null) test.Fields[field] = text;
            else test.SignalFields[0][signalField!] = text;
            string path = folder.Write("bad.edf", test.Build());

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains(expectedName, error.Message);
            Assert.Contains($"\"{text}\"", error.Message);
        }

        [Fact]
        public void ZeroSignals_IsRefused()
        {
            using var folder = new TemporaryDirectory();
            var test = new EdfTestFile([], 0);
            string path = folder.Write("empty.edf", test.Build());

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains("0 signals", error.Message);
        }

        [Fact]
        public void HeaderByteCountThatDisagreesWithSignalCount_IsRefused()
        {
            using var folder = new TemporaryDirectory();
            var test = TwoSignalEdfPlus();
            test.Fields["headerBytes"] = "768";
            string path = folder.Write("h.edf", test.Build());

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains("768", error.Message);
            Assert.Contains("1024", error.Message);
        }

        [Fact]
        public void UnknownRecordCount_IsComputedFromTheFileSize()
        {
            using var folder = new TemporaryDirectory();
            var test = TwoSignalEdfPlus(records: 3);
            test.Fields["records"] = "-1";
            string path = folder.Write("u.edf", test.Build());

            using var edf = EdfFile.Open(path);

            Assert.Equal(3, edf.Header.RecordCount);
            Assert.True(edf.Header.RecordCountFromFileSize);
        }

        [Fact]
        public void UnknownRecordCountWithAPartialRecord_IsRefused()
        {
            using var folder = new TemporaryDirectory();
            var test = TwoSignalEdfPlus(records: 3);
            test.Fields["records"] = "-1";
            string path = folder.Write("u.edf", test.Build()[..^3]);

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains("-1", error.Message);
            Assert.Contains("not a whole number", error.Message);
        }

        [Fact]
        public void FileThatIsNotEdf_IsRefused()
        {
            using var folder = new TemporaryDirectory();
            byte[] bytes = new byte[600];
            "PK\u0003\u0004"u8.ToArray().CopyTo(bytes, 0);
            string path = folder.Write("zip.edf", bytes);

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains("not an EDF/BDF file", error.Message);
        }

        [Fact]
        public void FileShorterThanTheFixedHeader_IsRefused()
        {
            using var folder = new TemporaryDirectory();
            string path = folder.Write("short.edf", TwoSignalEdfPlus().Build()[..100]);

            var error = Assert.Throws<InvalidDataException>(() => EdfFile.Open(path));

            Assert.Contains("100 bytes", error.Message);
        }

        [Fact]
        public void MissingFile_ThrowsFileNotFound()
        {
            using var folder = new TemporaryDirectory();

            Assert.Throws<FileNotFoundException>(() => EdfFile.Open(folder.File("none.edf")));
        }
    }

    public sealed class TheReadPhysicalMethod
    {
        [Fact]
        public void AppliesEachSignalsOwnScalingIncludingTheOffset()
        {
            // Given signals with asymmetric physical ranges (non-zero offset term)
            using var folder = new TemporaryDirectory();
            var test = TwoSignalEdfPlus(records: 3);
            using var edf = EdfFile.Open(folder.Write("a.edf", test.Build()));

            // When
            double[] fp1 = edf.ReadPhysical(0);
            double[] ecg = edf.ReadPhysical(2);

            // Then: phys = (dig - digMin) * (physMax - physMin) / (digMax - digMin) + physMin
            double[] expectedFp1 = Ramp(12, -300, 17).Select(d => (d + 32768.0) * (59.36 + 45.17) / 65535.0 - 45.17).ToArray();
            double[] expectedEcg = Ramp(6, 1000, -5).Select(d => (d + 32768.0) * (1.25 + 3.5) / 65535.0 - 3.5).ToArray();
            AssertClose.Equal(expectedFp1.Select(v => (float)v).ToArray(), fp1.Select(v => (float)v).ToArray(), 1e-6, 1e-6, "Fp1");
            AssertClose.Equal(expectedEcg.Select(v => (float)v).ToArray(), ecg.Select(v => (float)v).ToArray(), 1e-6, 1e-6, "ECG");
            for (int i = 0; i < 12; i++) Assert.Equal(expectedFp1[i], fp1[i], 1e-12);
        }

        [Fact]
        public void DigitalRails_MapToThePhysicalMinimumAndMaximum()
        {
            using var folder = new TemporaryDirectory();
            var test = new EdfTestFile([new EdfTestSignal("EEG Cz", 2, [-32768, 32767], -184.46, 141.10)], 1);
            using var edf = EdfFile.Open(folder.Write("r.edf", test.Build()));

            double[] values = edf.ReadPhysical(0);

            Assert.Equal(-184.46, values[0], 1e-12);
            Assert.Equal(141.10, values[1], 1e-12);
        }

        [Fact]
        public void SignalsWithDifferentSamplesPerRecord_AreDeinterleavedPerRecord()
        {
            // Given a 3-sample and a 1-sample signal whose digital value encodes (signal, record, sample); gain 1, offset 0
            using var folder = new TemporaryDirectory();
            int[] a = [0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32];
            int[] b = [-100, -110, -120, -130];
            var test = new EdfTestFile(
                [new EdfTestSignal("A", 3, a, -32768, 32767), new EdfTestSignal("B", 1, b, -32768, 32767)], 4);
            using var edf = EdfFile.Open(folder.Write("i.edf", test.Build()));

            // When
            double[][] both = edf.ReadPhysical([1, 0]);

            // Then
            Assert.Equal(b.Select(v => (double)v), both[0]);
            Assert.Equal(a.Select(v => (double)v), both[1]);
        }

        [Fact]
        public void Bdf_Decodes24BitLittleEndianSignedSamples()
        {
            using var folder = new TemporaryDirectory();
            int[] digital = [-8388608, 8388607, -1, 0, 0x123456, -0x123456];
            var test = new EdfTestFile(
                [new EdfTestSignal("A1", 3, digital, -8388608, 8388607, -8388608, 8388607)], 2, reserved: "24BIT", bdf: true);
            using var edf = EdfFile.Open(folder.Write("b.bdf", test.Build()));

            double[] values = edf.ReadPhysical(0);

            Assert.Equal(EdfFormat.Bdf, edf.Header.Format);
            Assert.Equal("BIOSEMI", edf.Header.Version);
            Assert.Equal(digital.Select(v => (double)v), values);
        }

        [Fact]
        public void BdfPlus_RecognisesBdfAnnotationsAndReadsTheDataSignal()
        {
            using var folder = new TemporaryDirectory();
            int[] digital = [-5, 70000, -70000, 3];
            var test = new EdfTestFile(
                [EdfTestSignal.Annotations(10, "BDF Annotations"), new EdfTestSignal("EEG Cz", 2, digital, -8388608, 8388607, -8388608, 8388607)],
                2, reserved: "BDF+C", bdf: true);
            using var edf = EdfFile.Open(folder.Write("b.bdf", test.Build()));

            double[] values = edf.ReadPhysical(1);

            Assert.Equal(EdfFormat.BdfPlusContinuous, edf.Header.Format);
            Assert.True(edf.Header.Signals[0].IsAnnotation);
            Assert.Equal([1], edf.Header.DataSignalIndices);
            Assert.Equal(digital.Select(v => (double)v), values);
        }

        [Fact]
        public void LongFileSpanningSeveralReadChunks_DecodesEverySample()
        {
            // Given 3 MB of samples: more than one 1 MB read chunk, and a record count that is not a multiple of the chunk
            using var folder = new TemporaryDirectory();
            const int perRecord = 5000, records = 301;
            int[] digital = Enumerable.Range(0, perRecord * records).Select(i => (int)((long)i * 7919 % 65536) - 32768).ToArray();
            var test = new EdfTestFile([new EdfTestSignal("X", perRecord, digital, -32768, 32767)], records);
            using var edf = EdfFile.Open(folder.Write("l.edf", test.Build()));

            double[] values = edf.ReadPhysical(0);

            Assert.Equal(digital.Select(v => (double)v), values);
        }

        [Fact]
        public void SignalWithUnusableScaling_IsRefusedWhenReadWhileOtherSignalsStayReadable()
        {
            // Given signal 3 with digital maximum = digital minimum
            using var folder = new TemporaryDirectory();
            var test = TwoSignalEdfPlus();
            test.SignalFields[2]["digitalMax"] = "-32768";
            using var edf = EdfFile.Open(folder.Write("d.edf", test.Build()));

            // When
            var error = Assert.Throws<InvalidDataException>(() => edf.ReadPhysical(2));

            // Then
            Assert.Contains("signal 3 (\"ECG ECG\")", error.Message);
            Assert.Contains("digital maximum", error.Message);
            Assert.Equal(12, edf.ReadPhysical(0).Length);
        }

        [Fact]
        public void SignalWithEqualPhysicalMinimumAndMaximum_IsRefusedWhenRead()
        {
            using var folder = new TemporaryDirectory();
            var test = TwoSignalEdfPlus();
            test.SignalFields[0]["physicalMax"] = "-45.17";
            using var edf = EdfFile.Open(folder.Write("p.edf", test.Build()));

            var error = Assert.Throws<InvalidDataException>(() => edf.ReadPhysical(0));

            Assert.Contains("physical minimum = physical maximum", error.Message);
        }

        [Fact]
        public void AnnotationSignal_IsNotReadAsSamples()
        {
            using var folder = new TemporaryDirectory();
            using var edf = EdfFile.Open(folder.Write("a.edf", TwoSignalEdfPlus().Build()));

            var error = Assert.Throws<ArgumentException>(() => edf.ReadPhysical(1));

            Assert.Contains("annotation", error.Message);
        }
    }

    public sealed class TheRealEegmatFile
    {
        private sealed record GoldenSignal(int Index, string Label, double[] First, double[] FromSample1000, double[] Last, double Mean, double Std);

        private sealed record Golden(int HeaderBytes, int RecordCount, int SignalCount, string[] Labels, int[] SamplesPerRecord, GoldenSignal[] Signals);

        private static Golden ReadGolden() => JsonSerializer.Deserialize<Golden>(
            File.ReadAllText(EegTestData.Golden("edf_subject00_1.json")), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

        [EegmatFact]
        public void Subject00_1_HasTheHeaderFactsOfTheDataReadme()
        {
            using var edf = EdfFile.Open(Path.Combine(EegTestData.EegmatFolder!, "Subject00_1.edf"));

            var header = edf.Header;
            Assert.Equal(EdfFormat.EdfPlusContinuous, header.Format);
            Assert.Equal(22, header.Signals.Count);
            Assert.Equal(5888, header.HeaderBytes);
            Assert.Equal(182, header.RecordCount);
            Assert.Equal(1.0, header.RecordDurationSeconds);
            Assert.Equal(21114, header.RecordBytes);
            Assert.All(header.Signals.Take(21), s => Assert.Equal(500, s.SamplesPerRecord));
            Assert.Equal("EEG Fp1", header.Signals[0].Label);
            Assert.Equal("EEG A2-A1", header.Signals[19].Label);
            Assert.Equal("ECG ECG", header.Signals[20].Label);
            Assert.True(header.Signals[21].IsAnnotation);
            Assert.Equal(21, header.DataSignalIndices.Count);
            Assert.Equal(ReadGolden().Labels, header.Signals.Select(s => s.Label));
        }

        [EegmatFact]
        public void Subject00_1_MatchesAnIndependentNumpyDecode()
        {
            // Given the golden decode of tools/golden/eeg_edf_golden.py (numpy on the raw bytes)
            var golden = ReadGolden();
            using var edf = EdfFile.Open(Path.Combine(EegTestData.EegmatFolder!, "Subject00_1.edf"));

            foreach (var signal in golden.Signals)
            {
                // When
                double[] values = edf.ReadPhysical(signal.Index);

                // Then (same formula, different code and operation order: agreement to rounding)
                Assert.Equal(signal.Label, edf.Header.Signals[signal.Index].Label);
                Assert.Equal(182 * 500, values.Length);
                AssertNear(signal.First, values.AsSpan(0, 10), signal.Label);
                AssertNear(signal.FromSample1000, values.AsSpan(1000, 10), signal.Label);
                AssertNear(signal.Last, values.AsSpan(values.Length - 5), signal.Label);
                double mean = values.Average();
                double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
                AssertClose.Equal(signal.Mean, mean, 1e-12, 1e-9, $"{signal.Label} mean");
                AssertClose.Equal(signal.Std, std, 1e-12, 1e-9, $"{signal.Label} std");
            }
        }

        private static void AssertNear(double[] expected, ReadOnlySpan<double> actual, string what)
        {
            for (int i = 0; i < expected.Length; i++)
                AssertClose.Equal(expected[i], actual[i], 1e-12, 1e-12, $"{what}[{i}]");
        }
    }
}

using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

public sealed class ButterworthFilterTests
{
    private sealed record DesignCase(int Order, double LowHz, double HighHz, double SamplingRateHz, double[] Sos);

    private sealed record DesignFile(DesignCase[] Cases);

    public static TheoryData<int> CaseIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < EegGolden.Read<DesignFile>("eeg_butter_sos.json").Cases.Length; i++) data.Add(i);
        return data;
    }

    public sealed class TheBandPassMethod
    {
        [Theory]
        [MemberData(nameof(CaseIndices), MemberType = typeof(ButterworthFilterTests))]
        public void EqualsScipyButterSosSectionForSection(int caseIndex)
        {
            // Given scipy.signal.butter(order, [low, high], btype='bandpass', fs=fs, output='sos')
            var golden = EegGolden.Read<DesignFile>("eeg_butter_sos.json").Cases[caseIndex];

            // When
            var filter = ButterworthFilter.BandPass(golden.Order, golden.LowHz, golden.HighHz, golden.SamplingRateHz);

            // Then: same pairing and section order, coefficients to 1e-12 relative (measured: <= 1e-15)
            Assert.Equal(golden.Order, filter.SectionCount);
            EegGolden.Close(golden.Sos, filter.Coefficients, 1e-15, 1e-12,
                $"butter({golden.Order}, [{golden.LowHz}, {golden.HighHz}], fs={golden.SamplingRateHz})");
        }

        [Theory]
        [InlineData(0.0, 45.0, 250.0)]
        [InlineData(45.0, 0.5, 250.0)]
        [InlineData(0.5, 125.0, 250.0)]
        [InlineData(0.5, 130.0, 250.0)]
        public void EdgesOutsideZeroToNyquist_AreRefused(double lowHz, double highHz, double samplingRateHz)
        {
            var error = Assert.Throws<ArgumentException>(() => ButterworthFilter.BandPass(5, lowHz, highHz, samplingRateHz));

            Assert.Contains("fs/2", error.Message);
        }

        [Fact]
        public void NonPositiveOrder_IsRefused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ButterworthFilter.BandPass(0, 0.5, 45, 250));
        }
    }
}

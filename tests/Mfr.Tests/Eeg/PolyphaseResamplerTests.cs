using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

public sealed class PolyphaseResamplerTests
{
    private sealed record ResampleCase(int Up, int Down, double[] Input, double[] Output, int TapCount, double[] TapsHead, double[] TapsCenter);

    private sealed record ResampleFile(ResampleCase[] Cases);

    public static TheoryData<int> CaseIndices() => [0, 1, 2, 3, 4];

    private static ResampleCase Case(int index) => EegGolden.Read<ResampleFile>("eeg_resample_poly.json").Cases[index];

    public sealed class TheResampleMethod
    {
        [Theory]
        [MemberData(nameof(CaseIndices), MemberType = typeof(PolyphaseResamplerTests))]
        public void EqualsScipyResamplePolyWithDefaultKaiserWindow(int caseIndex)
        {
            // Given scipy.signal.resample_poly(x, up, down) (500->250, 256->250, 250->500, short inputs)
            var golden = Case(caseIndex);
            var resampler = new PolyphaseResampler(golden.Up, golden.Down);

            // When
            double[] output = resampler.Resample(golden.Input);

            // Then
            Assert.Equal(golden.Output.Length, output.Length);
            double error = EegGolden.MaxErrorRelativeToRms(golden.Output, output);
            Assert.True(error < 1e-12, $"up {golden.Up} down {golden.Down} n {golden.Input.Length}: max error / RMS = {error:G3}");
        }

        [Theory]
        [MemberData(nameof(CaseIndices), MemberType = typeof(PolyphaseResamplerTests))]
        public void DesignsScipysFirwinKaiserFilterTimesUp(int caseIndex)
        {
            var golden = Case(caseIndex);

            double[] taps = new PolyphaseResampler(golden.Up, golden.Down).Taps;

            Assert.Equal(golden.TapCount, taps.Length);
            EegGolden.Close(golden.TapsHead, taps.AsSpan(0, 25), 1e-15, 1e-11, "taps head");
            EegGolden.Close(golden.TapsCenter, taps.AsSpan(taps.Length / 2 - 12, 25), 1e-15, 1e-11, "taps centre");
        }

        [Fact]
        public void EqualRates_CopyTheSignal()
        {
            double[] input = [1, -2, 3.5];

            var resampler = PolyphaseResampler.FromRates(250, 250);

            Assert.Equal(input, resampler.Resample(input));
        }

        [Fact]
        public void WrongOutputLength_IsRefusedNamingBothShapes()
        {
            var resampler = PolyphaseResampler.FromRates(500, 250);

            var error = Assert.Throws<ArgumentException>(() => resampler.Resample(new double[10], new double[4]));

            Assert.Contains("[4]", error.Message);
            Assert.Contains("[5]", error.Message);
        }
    }

    public sealed class TheFactors
    {
        [Theory]
        [InlineData(500, 250, 1, 2)]
        [InlineData(256, 250, 125, 128)]
        [InlineData(250, 500, 2, 1)]
        public void AreTheRateRatioReducedByTheGcd(int sourceHz, int targetHz, int up, int down)
        {
            var resampler = PolyphaseResampler.FromRates(sourceHz, targetHz);

            Assert.Equal((up, down), (resampler.Up, resampler.Down));
        }

        [Theory]
        [InlineData(0, 0)]
        [InlineData(1, 1)]
        [InlineData(1001, 501)]
        [InlineData(512, 500)]
        public void OutputLength_IsCeilOfLengthTimesUpOverDown(int inputLength, int _)
        {
            var halving = new PolyphaseResampler(1, 2);
            var tuh = new PolyphaseResampler(125, 128);

            Assert.Equal((inputLength + 1) / 2, halving.OutputLength(inputLength));
            Assert.Equal((int)Math.Ceiling(inputLength * 125 / 128.0), tuh.OutputLength(inputLength));
        }
    }
}

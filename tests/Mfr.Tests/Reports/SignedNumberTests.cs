using Mfr.Reports;

namespace Mfr.Tests.Reports;

public sealed class SignedNumberTests
{
    public sealed class ThePercentMethod
    {
        [Theory]
        [InlineData(-1e-9, "+0.00%")]
        [InlineData(0.0, "+0.00%")]
        [InlineData(1e-9, "+0.00%")]
        [InlineData(-0.2121, "-21.21%")]
        [InlineData(0.0789, "+7.89%")]
        [InlineData(-0.00004999, "+0.00%")]
        [InlineData(-0.00005001, "-0.01%")]
        public void Formats_TheFractionAsASignedPercentage_WithOneSignOnly(double fraction, string expected)
        {
            // When
            string text = SignedNumber.Percent(fraction);

            // Then
            Assert.Equal(expected, text);
        }
    }

    public sealed class TheFormatMethod
    {
        [Theory]
        [InlineData(-0.0004, 3, "+0.000")]
        [InlineData(0.02151, 3, "+0.022")]
        [InlineData(-0.02151, 3, "-0.022")]
        [InlineData(double.NaN, 3, "NaN")]
        public void RoundsAndSigns(double value, int decimals, string expected) => Assert.Equal(expected, SignedNumber.Format(value, decimals));
    }
}

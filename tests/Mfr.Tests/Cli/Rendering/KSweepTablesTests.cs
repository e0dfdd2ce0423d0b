using Mfr.Cli.Rendering;

namespace Mfr.Tests.Cli.Rendering;

public sealed class KSweepTablesTests
{
    public sealed class TheSignedPercentMethod
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
            string text = KSweepTables.SignedPercent(fraction);

            // Then
            Assert.Equal(expected, text);
        }
    }
}

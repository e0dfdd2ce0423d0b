using Mfr.Reports.Svg;

namespace Mfr.Tests.Reports.Svg;

public sealed class TickLabelFormatterTests
{
    [Fact]
    public void FormatLinear_FloatNoise_IsNotShown()
    {
        Assert.Equal(["0.0", "0.1", "0.2", "0.3"], TickLabelFormatter.FormatLinear([0, 0.1, 0.2, 0.1 + 0.2], 0.1));
    }

    [Fact]
    public void FormatLinear_TinySpan_KeepsTheSameDecimalsOnEveryLabel()
    {
        Assert.Equal(["0.990", "0.992", "0.994", "0.996", "0.998", "1.000"],
            TickLabelFormatter.FormatLinear([0.99, 0.992, 0.994, 0.996, 0.998, 1.0], 0.002));
    }

    [Fact]
    public void FormatLinear_Negative_UsesTypographicMinusAndNoNegativeZero()
    {
        Assert.Equal(["\u22122", "\u22121", "0", "1"], TickLabelFormatter.FormatLinear([-2, -1, -0.0, 1], 1));
    }

    [Fact]
    public void FormatLinear_Large_UsesSiSuffixesWithConsistentDecimals()
    {
        Assert.Equal(["0", "10M", "20M", "50M"], TickLabelFormatter.FormatLinear([0, 1e7, 2e7, 5e7], 1e7));
        Assert.Equal(["0", "2.5k", "5.0k", "7.5k", "10.0k"], TickLabelFormatter.FormatLinear([0, 2500, 5000, 7500, 10000], 2500));
    }

    [Fact]
    public void FormatLinear_BelowOneThousandth_UsesPowersOfTen()
    {
        Assert.Equal(["0", "2×10⁻⁵", "4×10⁻⁵", "10⁻⁴"], TickLabelFormatter.FormatLinear([0, 2e-5, 4e-5, 1e-4], 2e-5));
    }

    [Fact]
    public void FormatLinear_Ordinary_UsesPlainIntegers()
    {
        Assert.Equal(["0", "1000", "2000"], TickLabelFormatter.FormatLinear([0, 1000, 2000], 1000));
    }

    [Fact]
    public void FormatLog_PlainWhenAllWithinMilliToKilo()
    {
        Assert.Equal(["0.001", "0.002", "0.005", "1", "5000"], TickLabelFormatter.FormatLog([1, 2, 5, 1, 5], [-3, -3, -3, 0, 3]));
    }

    [Fact]
    public void FormatLog_PowersWhenAnyIsOutsideMilliToKilo()
    {
        Assert.Equal(["10⁻⁵", "2×10⁻⁵", "10¹²"], TickLabelFormatter.FormatLog([1, 2, 1], [-5, -5, 12]));
    }

    [Fact]
    public void FormatLog_PowersOfZeroAndOne_AreWrittenPlainly()
    {
        // A superscript zero looks like a degree sign ("10°"), so 10^0 is "1" and 5 x 10^1 is "50".
        Assert.Equal(["10⁻⁶", "1", "10", "50", "10²"], TickLabelFormatter.FormatLog([1, 1, 1, 5, 1], [-6, 0, 1, 1, 2]));
    }

    [Theory]
    [InlineData(0.0013161, 3, "0.00132")]
    [InlineData(1234.5, 3, "1230")]
    [InlineData(0.30000000000000004, 3, "0.300")]
    [InlineData(-21.2121, 4, "\u221221.21")]
    [InlineData(1e-7, 3, "10⁻⁷")]
    [InlineData(-2.5e-7, 3, "\u22122.5×10⁻⁷")]
    [InlineData(3.2e9, 3, "3.2×10⁹")]
    [InlineData(0, 3, "0")]
    [InlineData(double.NaN, 3, "NaN")]
    [InlineData(double.NegativeInfinity, 3, "\u2212\u221E")]
    public void FormatValue_SignificantDigits(double value, int digits, string expected)
    {
        Assert.Equal(expected, TickLabelFormatter.FormatValue(value, digits));
    }

    [Fact]
    public void FormatValues_ShareDecimalsOfTheLargestValue()
    {
        Assert.Equal(["0.00160", "0.00097", "0.00070", "NaN"], TickLabelFormatter.FormatValues([0.0016, 0.00097, 0.0007, double.NaN]));
        Assert.Equal(["52.1", "44.0"], TickLabelFormatter.FormatValues([52.1, 44]));
    }

    [Theory]
    [InlineData(0.25, 2)]
    [InlineData(2000, 0)]
    [InlineData(0.002, 3)]
    [InlineData(1e-10, 10)]
    [InlineData(0.1 + 0.2, 1)]
    public void DecimalsFor_WritesTheStepExactly(double step, int expected)
    {
        Assert.Equal(expected, TickLabelFormatter.DecimalsFor(step));
    }
}

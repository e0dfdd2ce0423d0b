using Mfr.Reports.Svg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Reports.Svg;

public sealed class LogScaleTests
{
    [Fact]
    public void Map_EqualRatiosGetEqualDistances()
    {
        var scale = new LogScale(1, 1000, 0, 300);

        Assert.Equal(0, scale.Map(1), 10);
        Assert.Equal(100, scale.Map(10), 10);
        Assert.Equal(200, scale.Map(100), 10);
        Assert.Equal(300, scale.Map(1000), 10);
        Assert.Equal(scale.Map(2) - scale.Map(1), scale.Map(20) - scale.Map(10), 10);
    }

    [Fact]
    public void Invert_UndoesMap()
    {
        var scale = new LogScale(1e-5, 0.1, 380, 20);
        foreach (double value in new[] { 1e-5, 3.3e-4, 0.02, 0.1 })
        {
            AssertClose.Equal(value, scale.Invert(scale.Map(value)), 0, 1e-12);
        }
    }

    [Fact]
    public void PowersOfTenNotation_LabelsTheSameWhateverTheRange()
    {
        // Given the penalty axis of a short run (0.001 to 1, which fits plain decimals) and of a long one
        // (the warm-up starts it at 10^-5)
        var shortRun = new LogScale(1e-3, 1, 0, 300, LogTickNotation.PowersOfTen);
        var longRun = new LogScale(1e-5, 1, 0, 300, LogTickNotation.PowersOfTen);

        // When
        string[] shortLabels = shortRun.Ticks(4).Where(t => t.IsLabelled).Select(t => t.Label).ToArray();
        string[] longLabels = longRun.Ticks(6).Where(t => t.IsLabelled).Select(t => t.Label).ToArray();

        // Then both write 10⁻³ the same way (Auto would give "0.001" in the first)
        Assert.Equal(["10\u207B\u00B3", "10\u207B\u00B2", "10\u207B\u00B9", "1"], shortLabels);
        Assert.Equal(["10\u207B\u2075", "10\u207B\u2074", "10\u207B\u00B3", "10\u207B\u00B2", "10\u207B\u00B9", "1"], longLabels);
        Assert.Equal("0.001", new LogScale(1e-3, 1, 0, 300).Ticks(4).First(t => t.IsLabelled).Label);
    }

    [Fact]
    public void CanMap_RejectsZeroNegativeAndNonFinite()
    {
        var scale = new LogScale(1, 10, 0, 100);

        Assert.True(scale.CanMap(1e-300));
        Assert.False(scale.CanMap(0));
        Assert.False(scale.CanMap(-1));
        Assert.False(scale.CanMap(double.PositiveInfinity));
        Assert.False(scale.CanMap(double.NaN));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(-1, 10)]
    [InlineData(10, 10)]
    [InlineData(1, double.PositiveInfinity)]
    public void Constructor_NonPositiveOrEmptyDomain_Throws(double min, double max)
    {
        Assert.Throws<ArgumentException>(() => new LogScale(min, max, 0, 100));
    }

    [Fact]
    public void Nice_ExtendsToWholeDecades()
    {
        LogScale nice = new LogScale(0.003, 420, 0, 100).Nice();

        Assert.Equal(0.001, nice.DomainMin);
        Assert.Equal(1000, nice.DomainMax);
    }

    [Fact]
    public void Ticks_FiveDecadesSmallValues_LabelsDecadesAsPowersOfTen()
    {
        // Given 1e-5..1e-1: 13 candidates at 1, 2, 5 exceed a target of 10, the 5 decades do not
        IReadOnlyList<AxisTick> ticks = new LogScale(1e-5, 1e-1, 0, 500).Ticks(10);

        // Then decades are labelled (10^-5 is below 10^-3, so all use powers of ten) and 2..9 x 10^n are unlabelled marks
        Assert.Equal(["10⁻⁵", "10⁻⁴", "10⁻³", "10⁻²", "10⁻¹"], ticks.Where(t => t.IsLabelled).Select(t => t.Label));
        Assert.Equal([1e-5, 1e-4, 1e-3, 1e-2, 1e-1], ticks.Where(t => t.IsLabelled).Select(t => t.Value));
        Assert.Equal(4 * 8, ticks.Count(t => !t.IsLabelled));
        Assert.All(ticks.Where(t => !t.IsLabelled), t => Assert.False(t.IsMajor));
    }

    [Fact]
    public void Ticks_MilliToKilo_UsesPlainDecimals()
    {
        IReadOnlyList<AxisTick> ticks = new LogScale(0.001, 1000, 0, 600).Ticks(10);

        Assert.Equal(["0.001", "0.01", "0.1", "1", "10", "100", "1000"], ticks.Where(t => t.IsLabelled).Select(t => t.Label));
    }

    [Fact]
    public void Ticks_TwoDecadesRoomy_LabelsOneTwoFive()
    {
        IReadOnlyList<AxisTick> ticks = new LogScale(1, 100, 0, 400).Ticks(10);

        Assert.Equal(["1", "2", "5", "10", "20", "50", "100"], ticks.Where(t => t.IsLabelled).Select(t => t.Label));
        Assert.Equal([3.0, 4, 6, 7, 8, 9, 30, 40, 60, 70, 80, 90], ticks.Where(t => !t.IsLabelled).Select(t => t.Value));
    }

    [Fact]
    public void Ticks_ManyDecades_LabelsEveryNthDecadeWithoutMinorMarks()
    {
        // Given 25 decades and room for 6 labels: stride ceil(25 / 6) = 5
        IReadOnlyList<AxisTick> ticks = new LogScale(1e-12, 1e12, 0, 600).Ticks(6);

        Assert.Equal(["10⁻¹⁰", "10⁻⁵", "1", "10⁵", "10¹⁰"], ticks.Where(t => t.IsLabelled).Select(t => t.Label));
        Assert.Equal(25, ticks.Count);
    }

    [Fact]
    public void Ticks_LessThanOneLabelledPair_FallsBackToLinearTicks()
    {
        // 3..4.5 holds no 1, 2 or 5 x 10^n: d3's log scale also falls back to linear ticks here.
        IReadOnlyList<AxisTick> ticks = new LogScale(3, 4.5, 0, 300).Ticks(3);

        Assert.Equal(["3.0", "3.5", "4.0", "4.5"], ticks.Select(t => t.Label));
    }
}

using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

public sealed class EegChannelLabelsTests
{
    [Theory]
    [InlineData("EEG Fp1", "FP1")]
    [InlineData("EEG FP1-REF", "FP1")]
    [InlineData("EEG FP1-LE", "FP1")]
    [InlineData("eeg t3-ref", "T3")]
    [InlineData("  Cz  ", "CZ")]
    [InlineData("EEG A2-A1", "A2-A1")]
    [InlineData("ECG ECG", "ECG ECG")]
    [InlineData("EEG EKG1-REF", "EKG1")]
    public void Normalize_StripsEegPrefixAndReferenceSuffixAndUppercases(string label, string expected)
    {
        Assert.Equal(expected, EegChannelLabels.Normalize(label));
    }

    [Fact]
    public void Standard1020_HasTheNineteenScalpElectrodesAndNoReferences()
    {
        var labels = EegChannelLabels.Standard1020;

        Assert.Equal(19, labels.Distinct().Count());
        Assert.Equal(SyntheticEeg.EegmatLabels.Select(EegChannelLabels.Normalize), labels);
        Assert.DoesNotContain("A1", labels);
        Assert.DoesNotContain("A2", labels);
    }
}

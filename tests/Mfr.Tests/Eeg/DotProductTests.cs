using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

public sealed class DotProductTests
{
    public static TheoryData<int> AwkwardLengths()
    {
        int width = System.Numerics.Vector<double>.Count;
        // Distinct lengths only (width - 1 is 3 with 4-lane vectors): xunit skips duplicate cases with a warning.
        return [.. new[] { 0, 1, 2, 3, width - 1, width, width + 1, 2 * width - 1, 2 * width, 3 * width + 1, 41, 100 }.Distinct()];
    }

    [Theory]
    [MemberData(nameof(AwkwardLengths))]
    public void Compute_EqualsTheScalarReference(int length)
    {
        // Given seeded values
        var rng = new Mfr.Numerics.Rng(7);
        double[] x = Enumerable.Range(0, length).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[] y = Enumerable.Range(0, length).Select(_ => rng.NextDouble() * 3).ToArray();

        // When
        double vectorised = DotProduct.Compute(x, y);
        double reference = DotProduct.Reference(x, y);

        // Then (summation order differs: rounding only)
        Assert.Equal(reference, vectorised, 1e-13);
    }

    [Fact]
    public void DifferentLengths_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => DotProduct.Compute(new double[3], new double[4]));
    }
}

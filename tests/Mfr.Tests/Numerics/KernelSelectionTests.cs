using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

public sealed class KernelSelectionTests
{
    [Theory]
    [InlineData("auto", KernelFlavor.Auto)]
    [InlineData(" AVX512 ", KernelFlavor.Avx512)]
    [InlineData("portable", KernelFlavor.Portable)]
    [InlineData("Reference", KernelFlavor.Reference)]
    [InlineData("", KernelFlavor.Auto)]
    public void Parse_AcceptsTheDocumentedNames(string name, KernelFlavor expected)
        => Assert.Equal(expected, KernelSelection.Parse(name));

    [Fact]
    public void Parse_RejectsAnUnknownName_NamingTheChoices()
    {
        var exception = Assert.Throws<ArgumentException>(() => KernelSelection.Parse("fast"));
        Assert.Contains("auto, avx512, portable or reference", exception.Message);
    }

    [Fact]
    public void Resolve_NeverReturnsAuto_AndMapsAvx512ToTheHardware()
    {
        var expected = KernelSelection.Avx512Supported ? KernelFlavor.Avx512 : KernelFlavor.Portable;
        Assert.Equal(expected, KernelSelection.Resolve(KernelFlavor.Auto));
        Assert.Equal(expected, KernelSelection.Resolve(KernelFlavor.Avx512));
        Assert.Equal(KernelFlavor.Portable, KernelSelection.Resolve(KernelFlavor.Portable));
        Assert.Equal(KernelFlavor.Reference, KernelSelection.Resolve(KernelFlavor.Reference));
    }
}

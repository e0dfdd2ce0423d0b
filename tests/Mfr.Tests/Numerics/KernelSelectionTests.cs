using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

public sealed class KernelSelectionTests
{
    private static readonly string[] Families = ["gemm", "topk", "assignment"];

    public sealed class TheParseMethod
    {
        [Theory]
        [InlineData("auto", KernelLevel.Avx512)]
        [InlineData(" AVX512 ", KernelLevel.Avx512)]
        [InlineData("avx2", KernelLevel.Avx2)]
        [InlineData("portable", KernelLevel.Portable)]
        [InlineData("Reference", KernelLevel.Reference)]
        [InlineData("", KernelLevel.Avx512)]
        public void AcceptsTheDocumentedLevels(string text, KernelLevel expected)
        {
            // When
            var request = KernelSelection.Parse(text, Families);

            // Then
            Assert.Equal(expected, request.Level);
            Assert.Empty(request.FamilyLevels);
        }

        [Fact]
        public void ReadsPerFamilyOverrides_BesideTheLevel()
        {
            // When
            var request = KernelSelection.Parse("portable, assignment=reference ,GEMM=avx512", Families);

            // Then
            Assert.Equal(KernelLevel.Portable, request.Level);
            Assert.Equal(KernelLevel.Reference, request.For("assignment"));
            Assert.Equal(KernelLevel.Avx512, request.For("gemm"));
            Assert.Equal(KernelLevel.Portable, request.For("topk"));
            Assert.Equal("portable,assignment=reference,gemm=avx512", request.ToString());
        }

        [Fact]
        public void WithOnlyOverrides_LeavesTheOtherFamiliesOnAuto()
        {
            var request = KernelSelection.Parse("topk=portable", Families);

            Assert.Equal(KernelLevel.Avx512, request.For("gemm"));
            Assert.Equal(KernelLevel.Portable, request.For("topk"));
        }

        [Theory]
        [InlineData("fast", "levels are auto, avx512, avx2, portable or reference, got 'fast'")]
        [InlineData("gemm=fast", "got 'fast'")]
        [InlineData("sgemm=portable", "unknown kernel family 'sgemm'")]
        [InlineData("portable,reference", "more than one level")]
        [InlineData("topk=portable,topk=reference", "sets kernel family 'topk' twice")]
        public void RejectsAMistake_NamingTheVariableAndTheChoices(string text, string expected)
        {
            var exception = Assert.Throws<ArgumentException>(() => KernelSelection.Parse(text, Families));

            Assert.StartsWith("MFR_KERNELS ", exception.Message);
            Assert.Contains(expected, exception.Message);
        }
    }

    public sealed class TheKernelFamily
    {
        private sealed class FakeVariant(KernelLevel level, string? unsupportedReason) : IKernelVariant
        {
            public KernelLevel Level => level;

            public string Description => "fake";

            public string? UnsupportedReason => unsupportedReason;
        }

        private static readonly FakeVariant Reference = new(KernelLevel.Reference, null);
        private static readonly FakeVariant Portable = new(KernelLevel.Portable, null);
        private static readonly FakeVariant Avx512 = new(KernelLevel.Avx512, "no AVX-512 on this fake machine");

        [Theory]
        [InlineData(KernelLevel.Avx512, KernelLevel.Portable)]
        [InlineData(KernelLevel.Avx2, KernelLevel.Portable)]
        [InlineData(KernelLevel.Portable, KernelLevel.Portable)]
        [InlineData(KernelLevel.Reference, KernelLevel.Reference)]
        public void SelectsTheHighestSupportedVariantAtOrBelowTheRequest(KernelLevel requested, KernelLevel expected)
        {
            // Given a family whose AVX-512 variant this (fake) machine cannot run
            var family = new KernelFamily<FakeVariant>("fake", "test", Reference, Portable, Avx512);

            // When
            family.Apply(requested);

            // Then
            Assert.Equal(expected, family.Selected.Level);
        }

        [Fact]
        public void RunsItsFastestSupportedVariant_WhenNothingIsRequested()
        {
            var family = new KernelFamily<FakeVariant>("fake", "test", Reference, new FakeVariant(KernelLevel.Portable, null), new FakeVariant(KernelLevel.Avx512, null));

            Assert.Equal(KernelLevel.Avx512, family.Selected.Level);
        }

        [Fact]
        public void RefusesVariantsWithoutAReferenceFirst()
        {
            var exception = Assert.Throws<ArgumentException>(() => new KernelFamily<FakeVariant>("fake", "test", Portable, Reference));

            Assert.Contains("must register its reference first", exception.Message);
        }

        [Fact]
        public void RefusesTwoVariantsOfOneLevel()
        {
            var exception = Assert.Throws<ArgumentException>(() => new KernelFamily<FakeVariant>("fake", "test", Reference, Portable, Portable));

            Assert.Contains("out of order or twice (portable)", exception.Message);
        }

        [Fact]
        public void NamesItsVariants_WhenAskedForOneItLacks()
        {
            var family = new KernelFamily<FakeVariant>("fake", "test", Reference, Portable);

            var exception = Assert.Throws<ArgumentException>(() => family.Get("avx512"));

            Assert.Contains("has no variant 'avx512' (it has reference, portable)", exception.Message);
        }
    }
}

using Mfr.Numerics;
using Mfr.Regularization;

namespace Mfr.Tests.Numerics;

/// <summary>Tests that change the process-wide kernel selection run alone: a kernel test running beside them would switch variants mid-test.</summary>
[CollectionDefinition(nameof(KernelSelectionCollection), DisableParallelization = true)]
public sealed class KernelSelectionCollection;

[Collection(nameof(KernelSelectionCollection))]
public sealed class KernelRegistryTests
{
    /// <summary>Runs <paramref name="body"/> under the <c>MFR_KERNELS</c> value <paramref name="text"/>, then restores the selection.</summary>
    private static void WithKernels(string text, Action body)
    {
        var previous = KernelRegistry.Request;
        try
        {
            KernelRegistry.Apply(KernelSelection.Parse(text, KernelRegistry.FamilyNames));
            body();
        }
        finally
        {
            KernelRegistry.Apply(previous);
        }
    }

    [Fact]
    public void RegistersEveryKernelFamily_EachWithItsReferenceFirst()
    {
        // Then: the families issue 12 names, once each, each with a scalar reference and at least one fast variant
        Assert.Equal(["gemm", "topk", "sparse", "adam", "sampler", "copula", "assignment", "matchedrows", "partnergradient", "gpt2", "saestep", "orthogonal", "int8select"], KernelRegistry.FamilyNames);
        foreach (var family in KernelRegistry.Families)
        {
            Assert.Equal(KernelLevel.Reference, family.AllVariants[0].Level);
            Assert.True(family.AllVariants.Count >= 2, $"{family.Name} has no fast variant.");
            Assert.Null(family.AllVariants[0].UnsupportedReason);
        }
    }

    [Fact]
    public void Reference_ReachesEveryFamily()
        => WithKernels("reference", () =>
        {
            foreach (var family in KernelRegistry.Families) Assert.True(family.SelectedVariant.Level == KernelLevel.Reference, $"{family.Name} runs {family.SelectedVariant.Level}.");
        });

    [Fact]
    public void Portable_RunsNoAvx512Variant_AndAFamilyOverrideWins()
        => WithKernels("portable,assignment=reference", () =>
        {
            foreach (var family in KernelRegistry.Families)
            {
                var expected = family.Name == "assignment" ? KernelLevel.Reference : KernelLevel.Portable;
                Assert.True(family.SelectedVariant.Level == expected, $"{family.Name} runs {family.SelectedVariant.Level}, expected {expected}.");
            }
        });

    [Fact]
    public void Reference_IsWhatTheEntryPointsCompute()
        => WithKernels("reference", () =>
        {
            // Given inputs where the float fast paths and the double references round differently
            const int m = 7, n = 9, k = 301;
            var a = KernelTestData.Gaussian(m * k, 1).Span.ToArray();
            var b = KernelTestData.Gaussian(n * k, 2).Span.ToArray();
            var product = new float[m * n];
            var expectedProduct = new float[m * n];
            int[] matching = [2, -1, 0, 1, 5, 4, 3];
            int[] indices = [0, 3, 8, 1, 1, 6];

            // When
            Gemm.MultiplyTransposed(a, b, m, n, k, product);
            double meanCosine = MatchedRows.MeanCosine(a, b, matching, k, new float[m]);
            var decoded = new float[3 * k];
            SparseKernels.Decode(indices, [0.5f, -1.25f, 3f, 0.1f, 0.2f, -7f], b, 3, 2, k, decoded);

            // Then: bit for bit the references
            GemmReference.MultiplyTransposed(a, b, m, n, k, expectedProduct);
            Assert.Equal(expectedProduct, product);
            Assert.Equal(MatchedRowsReference.MeanCosine(a, b, matching, k), meanCosine);
            var expectedDecoded = new float[3 * k];
            SparseKernelsReference.Decode(indices, [0.5f, -1.25f, 3f, 0.1f, 0.2f, -7f], b, 3, 2, k, expectedDecoded);
            Assert.Equal(expectedDecoded, decoded);
        });

    [Fact]
    public void Describe_ListsEachFamilysVariant_AndWhyAFasterOneDoesNotRun()
        => WithKernels("avx2", () =>
        {
            var lines = KernelRegistry.Describe();

            Assert.Equal("kernels (MFR_KERNELS=avx2):", lines[0]);
            string gemm = Assert.Single(lines, line => line.TrimStart().StartsWith("gemm ", StringComparison.Ordinal));
            Assert.Contains("portable  (packed 6 x 16 Vector256 micro-kernel); registered: reference portable avx512; avx512 not requested", gemm);
            string sampler = Assert.Single(lines, line => line.TrimStart().StartsWith("sampler ", StringComparison.Ordinal));
            Assert.Contains("registered: reference portable avx512; avx512 not requested", sampler);
            string saeStep = Assert.Single(lines, line => line.TrimStart().StartsWith("saestep ", StringComparison.Ordinal));
            Assert.DoesNotContain("not requested", saeStep);
        });
}

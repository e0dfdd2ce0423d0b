using Mfr.Numerics;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Tests.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Regularization;

public sealed class PartnerGradientTests
{
    private static int[] Matching(int rowsA, int rowsB, ulong seed) => MatchedRowsTests.Matching(rowsA, rowsB, seed);

    private static int[] Inverse(int[] columnForRow, int columns)
    {
        var rowForColumn = Enumerable.Repeat(-1, columns).ToArray();
        for (int i = 0; i < columnForRow.Length; i++)
        {
            if (columnForRow[i] >= 0) rowForColumn[columnForRow[i]] = i;
        }
        return rowForColumn;
    }

    /// <summary>The fused pass of the portable variant is the portable dense passes, reordered: bit for bit.</summary>
    [Theory]
    [InlineData(new[] { 3, 2, 4 }, 1, 1)] // d = 1, tiny
    [InlineData(new[] { 5, 5 }, 17, 1)] // one pair, d not a multiple of the vector width
    [InlineData(new[] { 301, 300, 257 }, 129, 1)] // rectangular pairs, large enough for two threads
    [InlineData(new[] { 301, 300, 257 }, 129, 2)]
    public unsafe void EqualsDenseAccumulationThenProjection_BitForBit(int[] latentCounts, int d, int threads)
    {
        // Given: an ensemble's decoders, row norms (one zero), the pairs a < b with partial matchings
        int saes = latentCounts.Length;
        var decoders = latentCounts.Select((h, m) => KernelTestData.Gaussian(h * d, (ulong)(10 + m)).Span.ToArray()).ToArray();
        var norms = latentCounts.Select((h, m) => KernelTestData.Gaussian(h, (ulong)(20 + m)).Span.ToArray().Select(x => 0.5f + Math.Abs(x)).ToArray()).ToArray();
        norms[0][latentCounts[0] / 2] = 0;
        var start = latentCounts.Select((h, m) => KernelTestData.Gaussian(h * d, (ulong)(30 + m)).Span.ToArray()).ToArray();
        var pairs = (from a in Enumerable.Range(0, saes) from b in Enumerable.Range(a + 1, saes - a - 1) select (A: a, B: b)).ToArray();
        var matchings = pairs.Select((pair, p) => Matching(latentCounts[pair.A], latentCounts[pair.B], (ulong)(40 + p))).ToArray();
        var coefficients = pairs.Select((_, p) => -0.25f * (p + 1)).ToArray();

        // The dense path: every pair into [h, d] buffers, then the projection through the normalisation.
        var expected = start.Select(g => (float[])g.Clone()).ToArray();
        var dense = latentCounts.Select(h => new float[h * d]).ToArray();
        var expectedDots = pairs.Select(pair => new float[latentCounts[pair.A]]).ToArray();
        for (int p = 0; p < pairs.Length; p++)
        {
            var (a, b) = pairs[p];
            MatchedRows.AddScaledPartnersFast(decoders[a], decoders[b], matchings[p], d, coefficients[p], dense[a], dense[b]);
            MatchedRows.MeanCosineFast(decoders[a], decoders[b], matchings[p], d, expectedDots[p]);
        }
        for (int m = 0; m < saes; m++) SaeStepKernels.ProjectDecoderGradient(decoders[m], norms[m], dense[m], latentCounts[m], d, expected[m], 1);

        // When: one pass per SAE
        var actual = start.Select(g => (float[])g.Clone()).ToArray();
        var dots = pairs.Select(pair => new float[latentCounts[pair.A]]).ToArray();
        var partnerOfFirst = matchings;
        var partnerOfSecond = pairs.Select((pair, p) => Inverse(matchings[p], latentCounts[pair.B])).ToArray();
        var pins = new List<System.Runtime.InteropServices.GCHandle>();
        float* Pin(float[] array)
        {
            var handle = System.Runtime.InteropServices.GCHandle.Alloc(array, System.Runtime.InteropServices.GCHandleType.Pinned);
            pins.Add(handle);
            return (float*)handle.AddrOfPinnedObject();
        }
        int* PinInts(int[] array)
        {
            var handle = System.Runtime.InteropServices.GCHandle.Alloc(array, System.Runtime.InteropServices.GCHandleType.Pinned);
            pins.Add(handle);
            return (int*)handle.AddrOfPinnedObject();
        }
        try
        {
            for (int m = 0; m < saes; m++)
            {
                var partners = new PartnerGradient.Partner[PartnerGradient.MaxPartners];
                int count = 0;
                for (int p = 0; p < pairs.Length; p++)
                {
                    var (a, b) = pairs[p];
                    if (a == m) partners[count++] = new PartnerGradient.Partner(Pin(decoders[b]), PinInts(partnerOfFirst[p]), coefficients[p], Pin(dots[p]));
                    else if (b == m) partners[count++] = new PartnerGradient.Partner(Pin(decoders[a]), PinInts(partnerOfSecond[p]), coefficients[p], null);
                }
                fixed (PartnerGradient.Partner* pp = partners)
                {
                    PartnerGradient.AddFast(Pin(decoders[m]), Pin(norms[m]), latentCounts[m], d, pp, count, Pin(actual[m]), threads);
                }
            }
        }
        finally
        {
            foreach (var handle in pins) handle.Free();
        }

        // Then: the same gradients and matched cosines, bit for bit
        for (int m = 0; m < saes; m++) Assert.Equal(expected[m], actual[m]);
        for (int p = 0; p < pairs.Length; p++) Assert.Equal(expectedDots[p], dots[p]);
        Assert.Equal(start[0].AsSpan(latentCounts[0] / 2 * d, d).ToArray(), actual[0].AsSpan(latentCounts[0] / 2 * d, d).ToArray());
    }

    /// <summary>Every fast partner-gradient variant (<see cref="KernelRegistry.PartnerGradient"/>).</summary>
    public static TheoryData<string> Variants => KernelVariants.Fast("partnergradient");

    [KernelTheory("partnergradient")]
    [MemberData(nameof(Variants))]
    public unsafe void MatchesTheDoublePrecisionReference_OnAwkwardShapes(string variant)
    {
        var partners = stackalloc PartnerGradient.Partner[2];
        foreach (var (h, d, partnerRows) in new[] { (1, 1, 1), (3, 7, 5), (33, 17, 40), (130, 129, 128) })
        {
            // Given one SAE with two partners (one asking for the matched cosines), a zero-norm row, a gradient that starts non-zero
            var decoder = KernelTestData.Gaussian(h * d, 1).Span.ToArray();
            var norms = Enumerable.Range(0, h).Select(i => i == h / 2 ? 0f : 0.5f + i % 3).ToArray();
            var partnerDecoders = new[] { KernelTestData.Gaussian(partnerRows * d, 2).Span.ToArray(), KernelTestData.Gaussian(partnerRows * d, 3).Span.ToArray() };
            var partnerForRow = new[] { Matching(h, partnerRows, 4), Matching(h, partnerRows, 5) };
            var start = KernelTestData.Gaussian(h * d, 6).Span.ToArray();
            var actual = (float[])start.Clone();
            var expected = (float[])start.Clone();
            var dots = new float[h];
            var expectedDots = new float[h];

            // When
            fixed (float* pd = decoder, pn = norms, pa = actual, pe = expected, pp0 = partnerDecoders[0], pp1 = partnerDecoders[1], pdots = dots, pexpected = expectedDots)
            fixed (int* pm0 = partnerForRow[0], pm1 = partnerForRow[1])
            {
                partners[0] = new PartnerGradient.Partner(pp0, pm0, -0.25f, pdots);
                partners[1] = new PartnerGradient.Partner(pp1, pm1, 0.75f, null);
                KernelRegistry.PartnerGradient.Get(variant).Add(pd, pn, h, d, partners, 2, pa, maxThreads: 2);
                partners[0] = new PartnerGradient.Partner(pp0, pm0, -0.25f, pexpected);
                PartnerGradientReference.Add(pd, pn, h, d, partners, 2, pe);
            }

            // Then
            string what = $"{variant} h={h} d={d}";
            AssertClose.Equal(expected, actual, 1e-5, 1e-5, what + " gradient");
            AssertClose.Equal(expectedDots, dots, 1e-5, 1e-5, what + " cosines");
            Assert.Equal(start.AsSpan(h / 2 * d, d).ToArray(), actual.AsSpan(h / 2 * d, d).ToArray());
        }
    }
}

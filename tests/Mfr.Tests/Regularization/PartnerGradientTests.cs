using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Tests.Numerics;

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
            MatchedRows.AddScaledPartners(decoders[a], decoders[b], matchings[p], d, coefficients[p], dense[a], dense[b]);
            MatchedRows.MeanCosine(decoders[a], decoders[b], matchings[p], d, expectedDots[p]);
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
                    PartnerGradient.Add(Pin(decoders[m]), Pin(norms[m]), latentCounts[m], d, pp, count, Pin(actual[m]), threads);
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
}

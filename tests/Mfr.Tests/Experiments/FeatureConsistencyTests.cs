using Mfr.Experiments;
using Mfr.Matching;
using Mfr.Sae;

namespace Mfr.Tests.Experiments;

public sealed class FeatureConsistencyTests
{
    private static TopKSae Sae(int latents, ulong seed)
    {
        var sae = new TopKSae(new SaeConfig(InputDim: 12, LatentCount: latents, K: 2));
        sae.Initialize(seed);
        return sae;
    }

    [Fact]
    public void BestCosinesWithin_EqualsEachSaesRowMaximaAgainstAllTheOthers()
    {
        // Given three SAEs of different widths
        using var a = Sae(7, 1);
        using var b = Sae(10, 2);
        using var c = Sae(5, 3);
        TopKSae[] saes = [a, b, c];

        // When
        float[][] within = FeatureConsistency.BestCosinesWithin(saes);

        // Then each SAE's entry is the maximum over the other SAEs' cosine matrices, read by rows
        for (int m = 0; m < saes.Length; m++)
        {
            var sae = saes[m];
            var expected = new float[sae.Config.LatentCount];
            Array.Fill(expected, float.NegativeInfinity);
            foreach (var other in saes.Where((_, o) => o != m))
            {
                var cosines = CosineSimilarity.Compute(sae.Decoder, other.Decoder, sae.Config.LatentCount, other.Config.LatentCount, 12);
                var rowMaxima = new float[sae.Config.LatentCount];
                CosineSimilarity.MaxPerRow(cosines, sae.Config.LatentCount, other.Config.LatentCount, rowMaxima);
                for (int j = 0; j < expected.Length; j++) expected[j] = Math.Max(expected[j], rowMaxima[j]);
            }
            Assert.Equal(expected, within[m]);
        }
    }

    [Fact]
    public void BestCosinesWithin_AnSaeAndItsCopy_FindEveryLatentAtCosineOne()
    {
        using var a = Sae(6, 4);
        using var copy = Sae(6, 9);
        copy.CopyFrom(a);

        float[][] within = FeatureConsistency.BestCosinesWithin([a, copy]);

        Assert.All(within.SelectMany(v => v), cosine => Assert.Equal(1f, cosine, 5));
    }

    [Fact]
    public void BestCosinesWithin_OneSae_Throws()
    {
        using var a = Sae(6, 4);

        Assert.Throws<ArgumentException>(() => FeatureConsistency.BestCosinesWithin([a]));
    }
}

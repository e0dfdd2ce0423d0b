using Mfr.Matching;

namespace Mfr.Tests.Matching;

public sealed class FeatureMatchingTests
{
    private static float[] BasisRows(int dimension, params int[] axes)
    {
        var rows = new float[axes.Length * dimension];
        for (int r = 0; r < axes.Length; r++) rows[r * dimension + axes[r]] = 1;
        return rows;
    }

    public sealed class Mmcs
    {
        [Fact]
        public void PermutedScaledCopy_IsOneAndMatchesThePermutation()
        {
            // Given b = 3 * a with rows in the order 2, 0, 3, 1
            var a = CosineSimilarityTests.Gaussian(4, 10, 5);
            int[] order = [2, 0, 3, 1];
            var b = new float[a.Length];
            for (int r = 0; r < 4; r++)
                for (int k = 0; k < 10; k++) b[r * 10 + k] = 3 * a[order[r] * 10 + k];

            var result = FeatureMatching.Mmcs(a, b, 4, 4, 10);

            Assert.Equal(1.0, result.Mean, 6);
            foreach (var pair in result.Pairs) Assert.Equal(pair.Row, order[pair.Column]);
        }

        [Fact]
        public void OrthogonalSets_IsZero()
        {
            var a = BasisRows(6, 0, 1, 2);
            var b = BasisRows(6, 3, 4, 5);

            Assert.Equal(0.0, FeatureMatching.Mmcs(a, b, 3, 3, 6).Mean, 12);
        }

        [Fact]
        public void RandomSmallSets_EqualsBruteForceMeanOfBestMatching()
        {
            var a = CosineSimilarityTests.Gaussian(5, 8, 6);
            var b = CosineSimilarityTests.Gaussian(7, 8, 7);
            var cosines = CosineSimilarity.Compute(a, b, 5, 7, 8);

            var result = FeatureMatching.Mmcs(a, b, 5, 7, 8);

            Assert.Equal(5, result.Pairs.Count);
            Assert.Equal(BruteForceAssignment.BestTotal(cosines, 5, 7, maximize: true) / 5, result.Mean, 6);
        }

        [Fact]
        public void HandComputedCase_PrefersTheLargerTotalOverTheGreedyPair()
        {
            // Given cosines [[0.9, 0.8], [0.7, 0.1]]: greedy takes 0.9 then 0.1 (mean 0.5), optimal 0.8 + 0.7 (mean 0.75)
            float[] cosines = [0.9f, 0.8f, 0.7f, 0.1f];

            var result = FeatureMatching.MmcsFromCosines(cosines, 2, 2);

            Assert.Equal(0.75, result.Mean, 6);
            Assert.Equal([new MatchedPair(0, 1, 0.8f), new MatchedPair(1, 0, 0.7f)], result.Pairs);
        }

        [Fact]
        public void EmptySet_Throws()
            => Assert.Throws<ArgumentException>(() => FeatureMatching.MmcsFromCosines([], 0, 3));
    }

    public sealed class RecoverGroundTruth
    {
        [Fact]
        public void MixedDecoder_CountsRecoveredTrueFeaturesPerThreshold()
        {
            // Given true features e0..e3 in d = 8 and five latents: e2, e0, (e1 + e4)/sqrt2 (cosine 0.707 to e1),
            // 0.95 e3 + sqrt(1 - 0.95^2) e5 (cosine 0.95 to e3), and e6 (matches nothing)
            const int d = 8;
            var trueFeatures = BasisRows(d, 0, 1, 2, 3);
            var decoder = new float[5 * d];
            decoder[0 * d + 2] = 1;
            decoder[1 * d + 0] = 1;
            decoder[2 * d + 1] = decoder[2 * d + 4] = MathF.Sqrt(0.5f);
            decoder[3 * d + 3] = 0.95f;
            decoder[3 * d + 5] = MathF.Sqrt(1 - 0.95f * 0.95f);
            decoder[4 * d + 6] = 1;

            var result = FeatureMatching.RecoverGroundTruth(decoder, 5, trueFeatures, 4, d);

            Assert.Equal((1 + 1 + Math.Sqrt(0.5) + 0.95) / 4, result.Mmcs, 5);
            Assert.Equal([4, 3, 3], result.Recovery.Select(r => r.RecoveredCount));
            Assert.Equal([1.0, 0.75, 0.75], result.Recovery.Select(r => r.Fraction));
            Assert.DoesNotContain(result.Matching.Pairs, pair => pair.Row == 4);
        }

        [Fact]
        public void FewerLatentsThanFeatures_FractionIsOverAllTrueFeatures()
        {
            var trueFeatures = BasisRows(5, 0, 1, 2, 3);
            var decoder = BasisRows(5, 3, 1);

            var result = FeatureMatching.RecoverGroundTruth(decoder, 2, trueFeatures, 4, 5, [0.5]);

            Assert.Equal(1.0, result.Mmcs, 6);
            Assert.Equal(new RecoveryAtThreshold(0.5, 2, 4), result.Recovery.Single());
            Assert.Equal(0.5, result.Recovery.Single().Fraction);
        }
    }
}

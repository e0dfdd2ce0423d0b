using Mfr.Consistency;

namespace Mfr.Tests.Consistency;

public sealed class RunConsistencyTests
{
    private static readonly float Half = (float)Math.Sqrt(0.5);

    public sealed class TheMeasureMethod
    {
        [Fact]
        public void PwMcc_IsTheMeanSignedCosineOfTheOptimalMatching_NotOfAbsoluteCosines()
        {
            // Given run A = e1, e2, (e1 + e2) (unnormalised, 3 x 2) and run B = its rows permuted, one flipped, one scaled:
            // b0 = a2, b1 = -a0, b2 = 2 a1. Cosines A x B:
            //   [ .7071  -1      0     ]
            //   [ .7071   0      1     ]
            //   [ 1      -.7071  .7071 ]
            float[] a = [1, 0, 0, 1, 3, 3];
            float[] b = [Half, Half, -1, 0, 0, 2];

            // When measured
            var metrics = RunConsistency.Measure([a, b], latentCount: 3, dimension: 2);

            // Then the best signed total is the diagonal, .7071 + 0 + .7071 (a matching on |cosine| would take the -1):
            // MCC = sqrt(2) / 3, and shared@0.5 = shared@0.7 = 2/3, shared@0.9 = 0
            Assert.Equal(Math.Sqrt(2) / 3, metrics.PwMcc, 1e-6);
            Assert.Equal(0.0, metrics.PwMccStandardDeviation, 1e-12);
            Assert.Equal([2.0 / 3, 2.0 / 3, 0.0], metrics.SharedAtThreshold);
            var pair = Assert.Single(metrics.Pairs);
            Assert.Equal((0, 1), (pair.RunA, pair.RunB));
            // and at tau 0.7 latents 0 and 2 of each run have a counterpart, latent 1 does not
            Assert.Equal([1.0, 0.0, 1.0], metrics.Stability[1][0]);
            Assert.Equal([1.0, 0.0, 1.0], metrics.Stability[1][1]);
        }

        [Fact]
        public void PermutedAndRescaledRuns_AreFullyConsistent()
        {
            // Given run B = run A's rows in another order, each scaled by a positive factor
            float[] a = [1, 2, 0, 0, 1, -1, 3, 0, 1];
            float[] b = [0, 2, -2, 6, 0, 2, 0.5f, 1, 0];

            // When measured
            var metrics = RunConsistency.Measure([a, b], latentCount: 3, dimension: 3);

            // Then MCC is 1, and every latent is shared and stable at every threshold
            Assert.Equal(1.0, metrics.PwMcc, 1e-6);
            Assert.All(metrics.SharedAtThreshold, share => Assert.Equal(1.0, share));
            Assert.All(metrics.Stability, perThreshold => Assert.All(perThreshold, run => Assert.All(run, s => Assert.Equal(1.0, s))));
        }

        [Fact]
        public void ThreeRuns_AverageAllPairs_AndStabilityCountsTheOtherRuns()
        {
            // Given A = (e1, e2, e3), B = (e2, e3, e1), C = (e4, e2, e3) in 4 dimensions
            float[] a = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];
            float[] b = [0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0];
            float[] c = [0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0];

            // When measured
            var metrics = RunConsistency.Measure([a, b, c], latentCount: 3, dimension: 4);

            // Then the pairs are (A,B) 1, (A,C) 2/3, (B,C) 2/3: PW-MCC 7/9, population sd sqrt(2/81)
            Assert.Equal([(0, 1), (0, 2), (1, 2)], metrics.Pairs.Select(p => (p.RunA, p.RunB)));
            Assert.Equal(1.0, metrics.Pairs[0].Mcc, 1e-6);
            Assert.Equal(2.0 / 3, metrics.Pairs[1].Mcc, 1e-6);
            Assert.Equal(2.0 / 3, metrics.Pairs[2].Mcc, 1e-6);
            Assert.Equal(7.0 / 9, metrics.PwMcc, 1e-6);
            Assert.Equal(Math.Sqrt(2.0 / 81), metrics.PwMccStandardDeviation, 1e-6);
            // and shared@0.7 is (1 + 2/3 + 2/3) / 3 = 7/9
            Assert.Equal(7.0 / 9, metrics.SharedAtThreshold[1], 1e-12);
            // and e1 (A's latent 0, B's latent 2) has a counterpart in one of the two other runs (1/2), e4 of C in neither (0)
            Assert.Equal([0.5, 1.0, 1.0], metrics.Stability[1][0]);
            Assert.Equal([1.0, 1.0, 0.5], metrics.Stability[1][1]);
            Assert.Equal([0.0, 1.0, 1.0], metrics.Stability[1][2]);
        }

        [Fact]
        public void RejectsASingleRunAndMismatchedShapes()
        {
            float[] a = [1, 0, 0, 1];
            Assert.Throws<ArgumentException>(() => RunConsistency.Measure([a], 2, 2));
            Assert.Throws<ArgumentException>(() => RunConsistency.Measure([a, new float[6]], 2, 2));
        }
    }

    public sealed class TheCompareWithTruthMethod
    {
        [Fact]
        public void CountsStableLatentsThatMatchTheTruth_AndCorrelatesStabilityWithTruthCosine()
        {
            // Given a run (e4, e2, e3) with stability (0, 1, 1) and true features e1, e2, (e3 + 2 e1) / sqrt 5
            float[] decoder = [0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0];
            float s5 = (float)Math.Sqrt(5);
            float[] truth = [1, 0, 0, 0, 0, 1, 0, 0, 2 / s5, 0, 1 / s5, 0];
            double[] stability = [0, 1, 1];

            // When compared at truth cosine 0.7 and stability 1
            var agreement = RunConsistency.CompareWithTruth(stability, decoder, 3, truth, 3, 4);

            // Then the optimal matching is e4-e1 (0), e2-e2 (1), e3-t3 (1/sqrt 5 = .447): of the 2 stable latents 1 matches
            // the truth, of the unstable one none
            Assert.Equal((2, 1, 1, 0), (agreement.StableCount, agreement.StableMatchingTruth, agreement.UnstableCount, agreement.UnstableMatchingTruth));
            Assert.Equal(0.5, agreement.StablePrecision);
            Assert.Equal(1.0, agreement.TruthRecall);
            Assert.Equal(0.0, agreement.UnstableMatchRate);
            // and the Pearson correlation of (0, 1, 1) with (0, 1, 1/sqrt 5), computed by hand
            double y3 = 1 / Math.Sqrt(5), meanY = (1 + y3) / 3;
            double[] dx = [-2.0 / 3, 1.0 / 3, 1.0 / 3];
            double[] dy = [-meanY, 1 - meanY, y3 - meanY];
            double expected = dx.Zip(dy, (p, q) => p * q).Sum() / Math.Sqrt(dx.Sum(v => v * v) * dy.Sum(v => v * v));
            Assert.Equal(expected, agreement.StabilityTruthCorrelation, 1e-6);
        }
    }
}

using Mfr.Consistency;

namespace Mfr.Tests.Consistency;

public sealed class CrossSeedConsistencyTests
{
    public sealed class TheMeasureMembersAndOfMethods
    {
        [Fact]
        public void CompareMemberMOfEverySeedOnly_AndAverageOverMembers()
        {
            // Given two seeds of two-SAE ensembles in 2 dimensions, h 2:
            //   member 0: seed 0 = (e1, e2), seed 1 = (e2, e1)            -> matched cosines 1, 1: MCC 1, shared 1 at every tau
            //   member 1: seed 0 = (e1, e2), seed 1 = (e1, (e1+e2)/√2)    -> best total pairs e1-e1 (1) and e2-(e1+e2)/√2 (.7071): MCC .8536
            // and member 0 of seed 0 equals member 1 of seed 0, which must never be compared (they are one ensemble).
            float half = (float)Math.Sqrt(0.5);
            float[] e12 = [1, 0, 0, 1];
            IReadOnlyList<IReadOnlyList<float[]>> runs = [[e12, e12], [[0, 1, 1, 0], [1, 0, half, half]]];

            // When measured per member and summarised
            var members = CrossSeedConsistency.MeasureMembers(runs, latentCount: 2, dimension: 2);
            var summary = CrossSeedConsistency.Of(members);

            // Then PW-MCC is the mean of the members' (1 + .8536) / 2, and its sd the population sd of the two pair values
            double second = (1 + Math.Sqrt(0.5)) / 2;
            Assert.Equal(2, summary.MemberCount);
            Assert.Equal(2, summary.RunCount);
            Assert.Equal(1.0, summary.MemberPwMcc[0], 1e-6);
            Assert.Equal(second, summary.MemberPwMcc[1], 1e-6);
            Assert.Equal((1 + second) / 2, summary.PwMcc, 1e-6);
            Assert.Equal((1 - second) / 2, summary.PwMccStandardDeviation, 1e-6);
            // and shared@0.5 / 0.7 / 0.9 average member 0's (1, 1, 1) and member 1's (1, 1, 0.5)
            Assert.Equal([1.0, 1.0, 0.75], summary.SharedAtThreshold.Select(v => Math.Round(v, 9)));
            // and at 0.9, member 1's second latents have no counterpart: 6 of 8 latents are stable
            Assert.Equal([1.0, 1.0, 0.75], summary.StableShare.Select(v => Math.Round(v, 9)));
            Assert.Equal(0.75, summary.At(summary.SharedAtThreshold, 0.9), 9);
            Assert.True(double.IsNaN(summary.At(summary.SharedAtThreshold, 0.8)));
        }

        [Fact]
        public void RefusesOneRun_AndRunsWithDifferentEnsembleSizes()
        {
            float[] e = [1, 0];

            var one = Assert.Throws<ArgumentException>(() => CrossSeedConsistency.MeasureMembers([[e]], 1, 2));
            var uneven = Assert.Throws<ArgumentException>(() => CrossSeedConsistency.MeasureMembers([[e, e], [e]], 1, 2));

            Assert.Contains("at least two runs", one.Message);
            Assert.Contains("same number of SAEs", uneven.Message);
        }
    }
}

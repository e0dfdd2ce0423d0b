using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Synthetic;

namespace Mfr.Tests.Experiments;

public sealed class SyntheticExperimentTests
{
    public sealed class TheCoupledVariants
    {
        private static SyntheticExperimentConfig Config(MfrMode mode) =>
            new(new SyntheticDataConfig(), Betas: [null, 0.1], Mfr: new MfrConfig(mode));

        [Fact]
        public void NameOnePenaltyRunPerBeta_ByMode()
        {
            var mfr = SyntheticExperiment.CoupledVariants(Config(MfrMode.Mfr)).ToList();
            var penalty = SyntheticExperiment.CoupledVariants(Config(MfrMode.Penalty)).ToList();

            Assert.Equal(["mfr beta=auto", "mfr beta=0.1"], mfr.Select(v => v.Name));
            Assert.Equal(["penalty beta=auto", "penalty beta=0.1"], penalty.Select(v => v.Name));
            Assert.Equal([null, 0.1], penalty.Select(v => v.Mfr.Beta));
            Assert.All(penalty, v => Assert.Equal(MfrMode.Penalty, v.Mfr.Mode));
        }

        [Fact]
        public void RunMeanMaxOncePerBeta_NamedLikeTheOtherCouplings()
        {
            // Given a synthetic experiment whose coupled runs use mean-max, with betas auto and 0.1
            // When its variants are listed
            var variants = SyntheticExperiment.CoupledVariants(Config(MfrMode.MeanMax)).ToList();

            // Then one mean-max run per beta, each carrying its beta
            Assert.Equal(["mean-max beta=auto", "mean-max beta=0.1"], variants.Select(v => v.Name));
            Assert.Equal([null, 0.1], variants.Select(v => v.Mfr.Beta));
            Assert.All(variants, v => Assert.Equal(MfrMode.MeanMax, v.Mfr.Mode));
        }

        [Fact]
        public void RunTheReinitialisationAblationOnce_WithoutABeta()
        {
            var variants = SyntheticExperiment.CoupledVariants(Config(MfrMode.Reinit)).ToList();

            var only = Assert.Single(variants);
            Assert.Equal("reinit", only.Name);
            Assert.False(only.Mfr.UsesPenalty);
        }
    }
}

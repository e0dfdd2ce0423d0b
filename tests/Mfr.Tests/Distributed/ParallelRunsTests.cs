using Mfr.Distributed;

namespace Mfr.Tests.Distributed;

public sealed class ParallelRunsTests
{
    public sealed class TheSharesRunsMethod
    {
        [Theory]
        [InlineData(1, 2, null, false)]
        [InlineData(2, 2, null, true)]
        [InlineData(2, 3, "auto", true)]
        [InlineData(3, 2, null, false)]
        [InlineData(2, 1, "", false)]
        [InlineData(2, 2, "ensemble", false)]
        public void GivesWholeRunsToRanks_OnlyWithAtLeastAsManyRunsAsRanks(int ranks, int runs, string? mode, bool expected)
        {
            // Given a job of `ranks` ranks, an experiment of `runs` runs and MFR_MPI_MODE set to `mode`
            // When the way to divide it is chosen
            bool sharesRuns = ParallelRuns.SharesRuns(ranks, runs, mode);

            // Then whole runs go to ranks exactly when every rank gets one and the mode does not ask for the ensemble split
            Assert.Equal(expected, sharesRuns);
        }

        [Fact]
        public void UnknownMode_IsRefusedNamingTheVariable()
        {
            // Given a misspelt mode
            // When it is read
            var exception = Assert.Throws<ArgumentException>(() => ParallelRuns.SharesRuns(2, 2, "ensembel"));

            // Then the message names the variable and the value
            Assert.Contains("MFR_MPI_MODE", exception.Message);
            Assert.Contains("'ensembel'", exception.Message);
        }
    }

    public sealed class TheIsDataParallelMethod
    {
        [Theory]
        [InlineData("data", true)]
        [InlineData("ensemble", false)]
        [InlineData("auto", false)]
        [InlineData(null, false)]
        public void IsTrueOnlyForData(string? mode, bool expected)
        {
            // Given MFR_MPI_MODE set to `mode`
            // When it is read for a run
            // Then data-parallel training is asked for exactly by "data"
            Assert.Equal(expected, ParallelRuns.IsDataParallel(mode));
        }

        [Fact]
        public void MisspeltData_IsRefusedRatherThanTrainingEnsembleParallel()
        {
            // Given a misspelt data mode
            // When it is read for a run
            var exception = Assert.Throws<ArgumentException>(() => ParallelRuns.IsDataParallel("dta"));

            // Then the message names the variable and the accepted values
            Assert.Contains("MFR_MPI_MODE must be auto, ensemble or data, got 'dta'", exception.Message);
        }
    }
}

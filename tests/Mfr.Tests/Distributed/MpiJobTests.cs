using Mfr.Distributed;

namespace Mfr.Tests.Distributed;

public sealed class MpiJobTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void IsLaunched_IsFalseWithoutALaunchersVariables()
    {
        // Given an environment without MPI's variables / When asked / Then one process, libmpi never loaded
        Assert.False(MpiJob.IsLaunched(Environment(("PATH", "/usr/bin"))));
    }

    [Theory]
    [InlineData("OMPI_COMM_WORLD_SIZE", "2")]
    [InlineData("PMIX_RANK", "0")]
    public void IsLaunched_IsTrueUnderMpirunOrAPmixLauncher(string variable, string value)
    {
        // Given a variable that Open MPI's mpirun or a PMIx launcher (srun --mpi=pmix) sets / When asked / Then launched
        Assert.True(MpiJob.IsLaunched(Environment((variable, value))));
    }

    [Fact]
    public void IsLaunched_IsFalseWhenMfrMpiIsZero()
    {
        // Given mpirun's variable and MFR_MPI=0 / When asked / Then the single process is forced
        Assert.False(MpiJob.IsLaunched(Environment(("OMPI_COMM_WORLD_SIZE", "2"), (MpiJob.DisableVariable, "0"))));
    }

    [Theory]
    [InlineData(8, "2", 4)]
    [InlineData(2, "2", 1)]
    [InlineData(2, "3", 1)]
    [InlineData(8, null, 8)]
    [InlineData(8, "1", 8)]
    public void ThreadsPerRank_SharesTheNodesCoresAmongItsRanks(int cores, string? localRanks, int expected)
    {
        // Given a node's cores and its rank count / When threads per rank are chosen / Then cores / ranks, at least 1
        Assert.Equal(expected, MpiJob.ThreadsPerRank(cores, localRanks));
    }
}

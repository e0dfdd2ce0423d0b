using Mfr.Distributed;

namespace Mfr.Tests.Distributed;

public sealed class SingleProcessCommunicatorTests
{
    [Fact]
    public void SelfTest_PassesEveryCheck_AsRank0Of1()
    {
        // Given the communicator of a process started without mpirun
        using var world = new SingleProcessCommunicator();

        // When the binding's self-test runs on it
        var result = MpiSelfTest.Run(world);

        // Then it is one rank and every check passes
        Assert.Equal(1, result.RankCount);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public void AllGatherVariable_CopiesTheOneRanksBlock()
    {
        // Given one rank's three values
        using var world = new SingleProcessCommunicator();
        float[] send = [1.5f, -2, 3];
        var receive = new float[3];

        // When gathered
        world.AllGatherVariable<float>(send, [3], receive);

        // Then the result is that block
        Assert.Equal(send, receive);
    }

    [Fact]
    public void AllGatherVariable_RefusesCountsThatDoNotMatchTheBuffers()
    {
        // Given counts for two ranks in a job of one / When gathered / Then refused with both shapes in the message
        using var world = new SingleProcessCommunicator();
        var error = Assert.Throws<ArgumentException>(() => world.AllGatherVariable<float>(new float[2], [2, 2], new float[4]));
        Assert.Contains("counts of length 2", error.Message);
    }

    [Fact]
    public void Broadcast_FromARankOtherThan0_IsRefused()
    {
        // Given the only rank, 0 / When rank 1 is named as the root / Then refused
        using var world = new SingleProcessCommunicator();
        Assert.Throws<ArgumentOutOfRangeException>(() => world.Broadcast(new float[1].AsSpan(), root: 1));
    }

    [Fact]
    public void MpiSelfTestCommand_WithoutMpirun_ReportsOneSingleProcessRank()
    {
        // Given no MPI launcher
        var output = new StringWriter();

        // When the hidden command runs in this process
        int code = Mfr.Cli.CliApplication.Run(["mpi-selftest"], output, new StringWriter());

        // Then it reports the single-process communicator and success
        Assert.Equal(0, code);
        Assert.Contains("1 rank(s) (single process)", output.ToString());
    }
}

namespace Mfr.Tests.Distributed;

/// <summary>
/// A [Fact] that launches <c>mpirun</c> (Open MPI). Without it on PATH the test is skipped with the reason; on CI
/// (CI=true) it runs anyway and fails with a clear message, because .ci/run installs openmpi-bin.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiLauncher.MpirunPath is null && Environment.GetEnvironmentVariable("CI") != "true")
            Skip = "mpirun (Open MPI) not found on PATH: install it with apt-get install -y openmpi-bin libopenmpi-dev; with CI=true this test fails instead.";
    }
}

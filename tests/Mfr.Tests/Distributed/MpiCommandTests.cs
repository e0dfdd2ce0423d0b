using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Distributed;

/// <summary>
/// The MPI job around training (issue 17): the binding's self-test, a divergence ending every rank cleanly, and the
/// bytes `mfr bench` reports. A class of its own so that xunit runs it beside <see cref="MpiTrainingTests"/>.
/// </summary>
public sealed class MpiCommandTests
{
    private static readonly string[] Tiny = ["--samples", "640", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16", "--k", "2"];

    private static string[] Train(string folder, params string[] settings) => ["train", .. Tiny, .. settings, "--out", folder];

    [MpiFact]
    public void SelfTest_OnTwoRanks_PassesEveryCollectiveCheck()
    {
        // Given a job of two ranks
        // When every rank runs the binding's self-test
        var outcome = MpiLauncher.Mpi(2, null, "mpi-selftest");

        // Then rank 0 reports two Open MPI ranks and no failed check
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("mpi-selftest: 2 rank(s) (Open MPI), 6 checks each, all passed", outcome.Output);
    }

    [MpiFact]
    public void DivergingRun_OnTwoRanks_EndsTheJobWithExitCode1AndOneMessage()
    {
        // Given a learning rate that overflows W at the first update
        using var folder = new TemporaryDirectory();

        // When it trains on two ranks
        var outcome = MpiLauncher.Mpi(2, null, Train(folder.Combine("run"), "--count", "2", "--mode", "mfr", "--lr", "1e30"));

        // Then the job ends with the divergence's exit code and its one message, printed once, by rank 0, and no final SAEs
        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Single(outcome.Error.Split('\n'), line => line.StartsWith("mfr: error: training diverged at step 1", StringComparison.Ordinal));
        Assert.DoesNotContain("rank 1", outcome.Error);
        Assert.False(Directory.Exists(folder.Combine("run", "final")));
    }

    [MpiFact]
    public void Bench_OnTwoRanks_ReportsTheBytesRank0MovesPerStep()
    {
        // Given an MFR pair and a baseline pair (d 256, h 16: one SAE per rank), benchmarked on two ranks
        string[] shape = ["bench", "--batch-size", "64", "--input-dim", "256", "--latents", "16", "--k", "2", "2", "--steps", "3"];

        // When `mfr bench` runs each under mpirun
        var mfr = MpiLauncher.Mpi(2, null, [.. shape, "--mode", "mfr"]);
        var baseline = MpiLauncher.Mpi(2, null, [.. shape, "--mode", "baseline"]);

        // Then rank 0 reports per step, for MFR: the step's control word (8 bytes), its SAE's figures sent and the
        // other's received (2 x 16 doubles: 6 and up to 10 re-initialisation scores), its decoder and row norms sent and the
        // other's received (2 x (16 x 256 + 16) floats), the divergence check (2 x 4 doubles) and, the assignment being
        // refreshed every step and the one pair solved on rank 0, its solution sent (1 + 2 x (16 + 16) doubles):
        // 8 + 256 + 32,896 + 64 + 520 = 33,744 bytes; for the baseline, whose SAEs read no decoder of another, only
        // 8 + 2 x 6 x 8 + 64 = 168 bytes
        Assert.True(mfr.ExitCode == 0, mfr.ToString());
        Assert.Contains("MPI: 2 ranks share the ensemble; rank 0 sent and received 33,744 bytes per step", mfr.Output);
        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        Assert.Contains("MPI: 2 ranks share the ensemble; rank 0 sent and received 168 bytes per step", baseline.Output);
    }
}

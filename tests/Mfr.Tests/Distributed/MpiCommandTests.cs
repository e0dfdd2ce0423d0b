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

    [MpiFact]
    public void DataParallelPenaltyPair_OnTwoRanks_LogsOneProcessLossesWithinRounding()
    {
        // Given an MFR-penalty pair (no re-initialisation), trained in one process and data-parallel on two ranks
        using var folder = new TemporaryDirectory();
        string[] settings = ["--count", "2", "--mode", "penalty", "--refresh", "3"];
        var single = MpiLauncher.InProcess(Train(folder.Combine("single"), settings));
        var data = MpiLauncher.Mpi(2, new Dictionary<string, string> { ["MFR_MPI_MODE"] = "data" }, Train(folder.Combine("data"), settings));

        // Then both succeed, and every step's loss of each SAE agrees within 1e-5 relative (the batch sums in another order)
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.True(data.ExitCode == 0, data.ToString());
        var expected = Losses(folder.Combine("single"));
        var actual = Losses(folder.Combine("data"));
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(10, expected.Length);
        for (int i = 0; i < expected.Length; i++)
            for (int m = 0; m < 2; m++) Assert.True(Math.Abs(expected[i][m] - actual[i][m]) <= 1e-5 * expected[i][m], $"step {i + 1}, SAE {m}: {expected[i][m]} against {actual[i][m]}");
        // and not bit for bit: the ranks did split the batch (the ensemble split would give one process's exact losses)
        Assert.Contains(Enumerable.Range(0, expected.Length), i => expected[i][0] != actual[i][0] || expected[i][1] != actual[i][1]);
        Assert.True(File.Exists(folder.Combine("data", "final", "sae-1", "sae_weights.safetensors")));
    }

    [MpiFact]
    public void DataParallelWithReinitialization_OnTwoRanks_IsAUsageError()
    {
        // Given the full MFR mode, whose re-initialisation data-parallel training does not support
        using var folder = new TemporaryDirectory();

        // When it is asked for data-parallel on two ranks
        var outcome = MpiLauncher.Mpi(2, new Dictionary<string, string> { ["MFR_MPI_MODE"] = "data" }, Train(folder.Combine("run"), "--count", "2", "--mode", "mfr"));

        // Then the job ends with the usage exit code and one line saying why, before any step
        Assert.True(outcome.ExitCode == 2, outcome.ToString());
        Assert.Contains("MFR_MPI_MODE=data does not support conditional re-initialisation", outcome.Error);
        Assert.False(File.Exists(folder.Combine("run", "run.json")), "a refused run must leave no run folder behind");
    }

    private static double[][] Losses(string run) =>
        File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line => System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject())
            .Where(line => line["losses"] is not null).Select(line => line["losses"]!.AsArray().Select(v => (double)v!).ToArray()).ToArray();
}

using System.Text.Json.Nodes;
using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Distributed;

/// <summary>
/// A k sweep under <c>mpirun -np 2</c> trains its baseline ensemble on rank 0 and its MFR ensemble on rank 1, whole
/// (issue 17 item 3), and ends with the files one process writes: final SAEs, evaluation, metrics and results.json (but for
/// wall times). Tiny sweep: d 10, h 16, k 2 and 4, 10 steps of 50.
/// </summary>
public sealed class MpiSweepTests
{
    private static string[] Sweep(TemporaryDirectory folder, string output) =>
        ["sweep", "--data", folder.Combine("train.npy"), "--held-out", folder.Combine("heldout.npy"), "--latents", "16", "--k", "2", "4",
            "--samples", "500", "--batch-size", "50", "--warmup", "3", "--refresh", "3", "--out", folder.Combine(output)];

    private static void WriteData(TemporaryDirectory folder)
    {
        var rng = new Mfr.Numerics.Rng(8);
        var vectors = new float[400 * 10];
        rng.FillGaussian(vectors);
        NpyWriter.Write(folder.Combine("train.npy"), [300, 10], vectors.AsSpan(0, 3000));
        NpyWriter.Write(folder.Combine("heldout.npy"), [100, 10], vectors.AsSpan(3000));
    }

    private static void AssertSameSweep(string expected, string actual)
    {
        RunFolderComparison.AssertSameResults(Path.Combine(expected, "baseline"), Path.Combine(actual, "baseline"));
        RunFolderComparison.AssertSameResults(Path.Combine(expected, "mfr"), Path.Combine(actual, "mfr"));
        Assert.Equal(ResultsWithoutWallTime(expected), ResultsWithoutWallTime(actual));
    }

    private static string ResultsWithoutWallTime(string sweep)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(sweep, "results.json")))!.AsObject();
        Assert.True(node.Remove("wallSeconds"), "results.json has no wallSeconds");
        return node.ToJsonString();
    }

    [MpiFact]
    public void Sweep_OnTwoRanks_EndsWithTheFilesOfOneProcess()
    {
        // Given a tiny k sweep (a baseline and an MFR ensemble of two SAEs each)
        using var folder = new TemporaryDirectory();
        WriteData(folder);

        // When it runs in one process and on two ranks
        var single = MpiLauncher.InProcess(Sweep(folder, "single"));
        var mpi = MpiLauncher.Mpi(2, null, Sweep(folder, "mpi"));

        // Then both succeed with the same final SAEs, evaluations, metrics and results
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.True(mpi.ExitCode == 0, mpi.ToString());
        AssertSameSweep(folder.Combine("single"), folder.Combine("mpi"));
    }

    [MpiFact]
    public void Rank1KilledWritingTheMfrCheckpoint_TakesTheJobDown_AndOneProcessResumesToTheSameFiles()
    {
        // Given a tiny k sweep whose rank 1 kills itself as soon as it has renamed a checkpoint into place: only a rank that
        // trains a whole run writes checkpoints, so this is rank 1 checkpointing the MFR ensemble it trains alone
        using var folder = new TemporaryDirectory();
        WriteData(folder);
        var single = MpiLauncher.InProcess(Sweep(folder, "single"));

        // When it runs on two ranks
        var killed = MpiLauncher.MpiWithRank1Environment(new Dictionary<string, string> { [CrashPoint.EnvironmentVariable] = "checkpoint-renamed" }, Sweep(folder, "mpi"));

        // Then the job failed, leaving the MFR run's checkpoint and no results
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.True(killed.ExitCode != 0, killed.ToString());
        Assert.NotEmpty(Directory.GetDirectories(folder.Combine("mpi", "mfr", "checkpoints")));
        Assert.False(File.Exists(folder.Combine("mpi", "results.json")), killed.ToString());

        // When one process resumes the folder
        var resumed = MpiLauncher.InProcess(Sweep(folder, "mpi"));

        // Then the sweep ends with the files of one process
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        AssertSameSweep(folder.Combine("single"), folder.Combine("mpi"));
    }

    [MpiFact]
    public void DivergingSweep_OnTwoRanks_EndsWithExitCode1AfterEveryRankReported()
    {
        // Given a learning rate that overflows W at the first update, so both ensembles diverge, one on each rank
        using var folder = new TemporaryDirectory();
        WriteData(folder);

        // When the sweep runs on two ranks
        var outcome = MpiLauncher.Mpi(2, null, [.. Sweep(folder, "mpi"), "--lr", "1e30"]);

        // Then rank 0 reports its baseline's divergence once, with the divergence's exit code, after rank 1 reported (no abort)
        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Single(outcome.Error.Split('\n'), line => line.StartsWith("mfr: error: training diverged at step 1", StringComparison.Ordinal));
        Assert.DoesNotContain("MPI_ABORT", outcome.Error);
        Assert.False(File.Exists(folder.Combine("mpi", "results.json")));
    }
}

using Mfr.IO;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Distributed;

/// <summary>
/// Ensemble-parallel training under <c>mpirun</c> (issue 17) gives exactly what one process gives: the same final SAE
/// files and evaluation, byte for byte, and the same metrics.jsonl but for wall times. Tiny synthetic runs (d 8, h 16,
/// 10 steps of 64), each launched as a real Open MPI job on this machine; the one-process runs train in the test process.
/// </summary>
public sealed class MpiTrainingTests(MpiTrainingTests.Baselines baselines) : IClassFixture<MpiTrainingTests.Baselines>
{
    private static readonly string[] Tiny = ["--samples", "640", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16", "--k", "2"];

    // Three SAEs (two on rank 0, one on rank 1 of two; one each on three ranks), a threshold low enough that SAEs of
    // every rank re-initialise in the first steps, an assignment refreshed every 3 steps, checkpoints at steps 4 and 8.
    private static readonly string[] Triple = ["--count", "3", "--mode", "mfr", "--refresh", "3", "--reinit-threshold", "0.4", "--reinit-window", "5", "--checkpoint-every", "4"];

    private static string[] Train(string folder, params string[] settings) => ["train", .. Tiny, .. settings, "--out", folder];

    /// <summary>The one-process run of <see cref="Triple"/>, trained once for the tests that compare with it.</summary>
    public sealed class Baselines : IDisposable
    {
        private readonly TemporaryDirectory folder = new();

        public Baselines()
        {
            var outcome = MpiLauncher.InProcess(Train(TripleRun, Triple));
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
        }

        public string TripleRun => folder.Combine("triple");

        public void Dispose() => folder.Dispose();
    }

    [MpiFact]
    public void MfrPair_OnTwoRanks_IsBitIdenticalToOneProcess()
    {
        // Given an MFR pair, one SAE per rank: every step needs the partner's decoder for the penalty and its refresh
        using var folder = new TemporaryDirectory();
        string[] settings = ["--count", "2", "--mode", "mfr", "--refresh", "3"];

        // When it trains in one process and on two ranks
        var single = MpiLauncher.InProcess(Train(folder.Combine("single"), settings));
        var mpi = MpiLauncher.Mpi(2, null, Train(folder.Combine("mpi"), settings));

        // Then both succeed with the same final SAEs, evaluation and metrics
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.True(mpi.ExitCode == 0, mpi.ToString());
        RunFolderComparison.AssertSameResults(folder.Combine("single"), folder.Combine("mpi"));
    }

    [MpiFact]
    public void ThreeSaesWithReinitializations_OnTwoRanks_IsBitIdenticalToOneProcess()
    {
        // Given three SAEs on two ranks
        using var folder = new TemporaryDirectory();

        // When they train
        var mpi = MpiLauncher.Mpi(2, null, Train(folder.Combine("mpi"), Triple));

        // Then the log holds re-initialisations of the SAE rank 1 trains, and everything matches the one-process run
        Assert.True(mpi.ExitCode == 0, mpi.ToString());
        Assert.Contains(RunFolderComparison.MetricLines(folder.Combine("mpi")), line => line.Contains("\"type\":\"reinit\"", StringComparison.Ordinal) && line.Contains("\"sae\":2", StringComparison.Ordinal));
        RunFolderComparison.AssertSameResults(baselines.TripleRun, folder.Combine("mpi"));
    }

    [MpiFact]
    public void RunKilledOnTwoRanks_ThenOnThreeRanks_ResumedInOneProcess_EndsAsTheUninterruptedRun()
    {
        // Given the run on two ranks, rank 0 killed right after committing the checkpoint of step 4,
        using var folder = new TemporaryDirectory();
        string run = folder.Combine("run");
        var killAfterCheckpoint = new Dictionary<string, string> { [CrashPoint.EnvironmentVariable] = "latest-written" };
        var first = MpiLauncher.Mpi(2, killAfterCheckpoint, Train(run, Triple));
        Assert.NotEqual(0, first.ExitCode);
        // resumed on three ranks (one SAE each) and killed again after the checkpoint of step 8
        var second = MpiLauncher.Mpi(3, killAfterCheckpoint, "train", "--resume", run);
        Assert.NotEqual(0, second.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(run, "final")), second.ToString());

        // When one process finishes it
        var last = MpiLauncher.InProcess("train", "--resume", run);

        // Then it ends with the uninterrupted run's SAEs and log
        Assert.True(last.ExitCode == 0, last.ToString());
        RunFolderComparison.AssertSameResults(baselines.TripleRun, run);
    }

    [MpiFact]
    public void Rank1KilledAtStep6_TakesTheJobDown_AndOneProcessResumesFromStep4ToTheUninterruptedRun()
    {
        // Given the run on two ranks, rank 1 killed (SIGKILL) as it starts step 6, after rank 0 committed step 4's checkpoint
        using var folder = new TemporaryDirectory();
        string run = folder.Combine("run");
        var killed = MpiLauncher.MpiWithRank1Environment(new Dictionary<string, string> { [CrashPoint.EnvironmentVariable] = "rank-step-6" }, Train(run, Triple));

        // Then the job ends (rank 0 does not wait forever), with no final SAEs and step 4's checkpoint as the latest
        Assert.NotEqual(0, killed.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(run, "final")), killed.ToString());
        Assert.Equal("step-00000004", File.ReadAllText(Path.Combine(run, "checkpoints", "latest")).Trim());

        // When one process resumes it
        var resumed = MpiLauncher.InProcess("train", "--resume", run);

        // Then it ends with the uninterrupted run's SAEs and log
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        RunFolderComparison.AssertSameResults(baselines.TripleRun, run);
    }
}

using System.Diagnostics;
using Mfr.Data;
using Mfr.Experiments;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

/// <summary>Issue 13, class 3: one writer per run folder, across processes; a crash releases the folder.</summary>
public sealed class RunFolderLockTests
{
    private static RunSpecification SmallRun() => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 16, FeatureCount: 32, GroupCount: 4, ActiveFeatures: 3, Seed: 5)),
        [new SaeConfig(16, 24, 4), new SaeConfig(16, 24, 4)],
        new TrainingConfig(SampleCount: 12 * 32, BatchSize: 32, LearningRate: 0.01f, Seed: 9, CheckpointEverySteps: 4));

    /// <summary>A run like <see cref="SmallRun"/> (12 steps, checkpoints every 4), as `mfr train` flags.</summary>
    private static readonly string[] SmallRunFlags =
        ["--data", "synthetic", "--input-dim", "16", "--features", "48", "--active-features", "3", "--latents", "24", "--k", "4",
         "--samples", "384", "--batch-size", "32", "--checkpoint-every", "4", "--eval-batches", "1"];

    /// <summary>Runs the built CLI (Mfr.Cli.dll, next to the tests) in its own process.</summary>
    private static (int ExitCode, string Error) RunCli(IEnumerable<string> arguments, string? crashAt = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Mfr.Cli.dll"));
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        if (crashAt is not null) start.Environment["MFR_FAULT_AFTER"] = crashAt;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "the CLI did not finish in 2 minutes");
        _ = output.Result;
        return (process.ExitCode, error);
    }

    [Fact]
    public void ASecondProcess_ResumingARunThisProcessHolds_IsRefused_NamingThisProcess()
    {
        // Given a run this process holds (its result is not disposed yet, as while training or evaluating)
        using var folder = new TemporaryDirectory();
        using var run = TrainingRun.Start(SmallRun(), folder.Path);
        byte[] log = File.ReadAllBytes(folder.Combine(TrainingRun.MetricsFileName));

        // When another process resumes it
        var (exitCode, error) = RunCli(["train", "--resume", folder.Path]);

        // Then that process is refused with one line naming this process, and changed nothing
        Assert.NotEqual(0, exitCode);
        Assert.Contains($"in use by process {Environment.ProcessId}", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(log, File.ReadAllBytes(folder.Combine(TrainingRun.MetricsFileName)));
    }

    [Fact]
    public void AProcessKilledWhileSaving_ReleasesTheFolder_AndTheRunResumesFromItsCheckpoint()
    {
        // Given `mfr train` killed (SIGKILL, by itself) right after its first checkpoint folder was renamed into place
        using var folder = new TemporaryDirectory();
        var (exitCode, _) = RunCli(["train", "--out", folder.Path, .. SmallRunFlags], crashAt: "checkpoint-renamed");
        Assert.NotEqual(0, exitCode);
        Assert.False(Directory.Exists(folder.Combine("final")));

        // When this process resumes the run
        var steps = new List<long>();
        using var resumed = TrainingRun.Resume(folder.Path, new SynchronousProgress<TrainingProgress>(p => steps.Add(p.Step)));

        // Then the dead process's lock did not stand in the way, and the run continued after step 4 with one line per step
        Assert.Equal(5, steps[0]);
        Assert.True(resumed.Completed);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), MetricLog.ReadSteps(folder.Combine(TrainingRun.MetricsFileName)).Select(s => s.Step));
    }

    [Fact]
    public void AResumeWhileTheRunIsOpenInThisProcess_IsRefused()
    {
        // Given a run whose result is still held
        using var folder = new TemporaryDirectory();
        using var run = TrainingRun.Start(SmallRun(), folder.Path);

        // When / Then a resume of it (or a second start) is refused while it is held, and allowed once released
        Assert.Contains("is in use by this process", Assert.Throws<IOException>(() => TrainingRun.Resume(folder.Path)).Message);
        Assert.Throws<IOException>(() => TrainingRun.StartOrResume(SmallRun(), folder.Path));
        run.Dispose();
        using var resumed = TrainingRun.Resume(folder.Path);
        Assert.True(resumed.Completed);
    }

    [Fact]
    public void ASecondSyntheticExperimentIntoTheSameFolder_IsRefused()
    {
        // Given an experiment folder held by a writer
        using var folder = new TemporaryDirectory();
        using var holder = RunFolderLock.Acquire(folder.Path);

        // When / Then
        var error = Assert.Throws<IOException>(() => SyntheticExperiment.Run(new SyntheticExperimentConfig(new SyntheticDataConfig()), folder.Path));
        Assert.Contains("in use", error.Message);
        Assert.False(Directory.Exists(folder.Combine("seed-0")));
    }

    [Fact]
    public void TheLockFile_HoldsTheHoldersPid()
    {
        using var folder = new TemporaryDirectory();
        using var holder = RunFolderLock.Acquire(folder.Path);

        string text = new StreamReader(new FileStream(folder.Combine(RunFolderLock.FileName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite)).ReadToEnd();
        Assert.Equal($"{Environment.ProcessId}\n", text);
    }

    [Fact]
    public void AFolderPathThatIsAFile_IsRefused_SayingSo()
    {
        // Given --out naming an existing file
        using var folder = new TemporaryDirectory();
        string file = folder.Combine("notes.txt");
        File.WriteAllText(file, "kept");

        // When a run would take it as its folder
        var error = Assert.Throws<IOException>(() => RunFolderLock.Acquire(file));

        // Then the refusal says what is in the way (not .NET's "the file already exists"), and the file is untouched
        Assert.Equal($"{file} is a file, not a folder.", error.Message);
        Assert.Equal("kept", File.ReadAllText(file));
    }

    [Fact]
    public void AFolderBelowAFile_IsRefused_NamingTheFile()
    {
        using var folder = new TemporaryDirectory();
        string file = folder.Combine("notes.txt");
        File.WriteAllText(file, "kept");

        var error = Assert.Throws<IOException>(() => RunFolderLock.Acquire(Path.Combine(file, "run")));

        Assert.Equal($"Cannot create the folder {Path.Combine(file, "run")}: {file} is a file.", error.Message);
    }

    [ProcFileSystemFact]
    public void AFolderWhereTheFileSystemTakesNone_IsRefused_WithoutFileNotFound()
    {
        var error = Assert.Throws<IOException>(() => RunFolderLock.Acquire("/proc/mfr-run"));

        Assert.IsNotType<FileNotFoundException>(error);
        Assert.Equal("Cannot create the folder /proc/mfr-run: the file system does not allow a folder there.", error.Message);
    }
}

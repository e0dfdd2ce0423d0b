using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Checkpoints;

/// <summary>Issue 13, class 1: replacing a checkpoint never loses the run, and a damaged <c>latest</c> is worked around.</summary>
public sealed class TrainingCheckpointTests
{
    /// <summary>12 steps, checkpoints every 4.</summary>
    private static RunSpecification SmallRun() => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 16, FeatureCount: 32, GroupCount: 4, ActiveFeatures: 3, Seed: 5)),
        [new SaeConfig(16, 24, 4), new SaeConfig(16, 24, 4)],
        new TrainingConfig(SampleCount: 12 * 32, BatchSize: 32, LearningRate: 0.01f, Seed: 9, CheckpointEverySteps: 4));

    private sealed class SimulatedCrash : Exception;

    /// <summary>Runs <see cref="SmallRun"/> into <paramref name="folder"/> and cancels it after step 6 (checkpoints at steps 4 and 6).</summary>
    private static void InterruptAfterStep6(string folder)
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<TrainingProgress>(p => { if (p.Step == 6) cancellation.Cancel(); });
        using var run = TrainingRun.Start(SmallRun(), folder, progress, cancellation.Token);
        Assert.Equal(6, run.Trainer.Step);
    }

    private static string[] StepFolders(string run) =>
        Directory.GetDirectories(Path.Combine(run, TrainingCheckpoint.FolderName), "step-*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("checkpoint-written")]
    [InlineData("checkpoint-renamed")]
    [InlineData("latest-written")]
    public void ReplacingACheckpoint_CrashedAtAnyMoment_LosesNothing(string moment)
    {
        // Given a finished run (checkpoints at steps 8 and 12) and its log
        using var folder = new TemporaryDirectory();
        using (TrainingRun.Start(SmallRun(), folder.Path))
        {
        }
        string log = folder.Combine(TrainingRun.MetricsFileName);
        byte[] logBefore = File.ReadAllBytes(log);
        using (var original = SaeFiles.Load(TrainingCheckpoint.SaeFolder(folder.Combine("final"), 0)))
        {
            // When resuming it, which saves step 12 again, crashes at that moment of the replacement
            using (CrashPoint.Intercept(name => { if (name == moment) throw new SimulatedCrash(); }))
                Assert.Throws<SimulatedCrash>(() => TrainingRun.Resume(folder.Path));

            // Then the next resume continues from step 12 (nothing trained again: the log is byte for byte the same)
            using var resumed = TrainingRun.Resume(folder.Path);
            Assert.Equal(12, resumed.Trainer.Step);
            Assert.True(original.Weights.SequenceEqual(resumed.Trainer.Members[0].Sae.Weights));
        }
        Assert.Equal(logBefore, File.ReadAllBytes(log));

        // And the checkpoints are back to two, the one `latest` names being step 12's
        var folders = StepFolders(folder.Path);
        Assert.Equal(2, folders.Length);
        Assert.StartsWith("step-00000008", folders[0], StringComparison.Ordinal);
        Assert.StartsWith("step-00000012", folders[1], StringComparison.Ordinal);
        Assert.Equal(folders[1], File.ReadAllText(folder.Combine(TrainingCheckpoint.FolderName, "latest")).Trim());
    }

    [Theory]
    [InlineData("garbage \u0001\u0002 not a folder")]
    [InlineData("step-00000099")]
    [InlineData("")]
    [InlineData(null)]
    public void DamagedLatest_ResumesFromTheNewestCompleteCheckpoint_KeepingTheLog(string? latest)
    {
        // Given a run interrupted after step 6 whose `latest` holds garbage, names a missing folder, is empty or is gone
        using var folder = new TemporaryDirectory();
        InterruptAfterStep6(folder.Path);
        string pointer = folder.Combine(TrainingCheckpoint.FolderName, "latest");
        if (latest is null) File.Delete(pointer);
        else File.WriteAllText(pointer, latest);
        string log = folder.Combine(TrainingRun.MetricsFileName);
        byte[] logBefore = File.ReadAllBytes(log);

        // When resumed
        var steps = new List<long>();
        using var resumed = TrainingRun.Resume(folder.Path, new SynchronousProgress<TrainingProgress>(p => steps.Add(p.Step)));

        // Then it continues after step 6 (not from step 0), keeps the log's lines as written, and says what it did
        Assert.Equal(7, steps[0]);
        Assert.Equal(12, resumed.Trainer.Step);
        Assert.Equal(logBefore, File.ReadAllBytes(log)[..logBefore.Length]);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), MetricLog.ReadSteps(log).Select(s => s.Step));
        Assert.Contains("resuming from step-00000006, the newest complete checkpoint", Assert.Single(resumed.Notices));
    }

    [Theory]
    [InlineData("sae-1/sae.safetensors")]
    [InlineData("trainer_state.json")]
    public void ADamagedLatestCheckpoint_ResumesFromTheOlderOne_SayingSo(string damaged)
    {
        // Given a run interrupted after step 6 (checkpoints at steps 4 and 6) whose step-6 checkpoint has a truncated file
        using var folder = new TemporaryDirectory();
        InterruptAfterStep6(folder.Path);
        string file = folder.Combine(TrainingCheckpoint.FolderName, "step-00000006", damaged);
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);

        // When resumed
        var steps = new List<long>();
        using var resumed = TrainingRun.Resume(folder.Path, new SynchronousProgress<TrainingProgress>(p => steps.Add(p.Step)));

        // Then it continues after step 4, the older checkpoint, to the end, and says which file failed and where it resumed
        Assert.Equal(5, steps[0]);
        Assert.Equal(12, resumed.Trainer.Step);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), MetricLog.ReadSteps(folder.Combine(TrainingRun.MetricsFileName)).Select(s => s.Step));
        string notice = Assert.Single(resumed.Notices, n => n.Contains("checkpoint that loads"));
        Assert.Contains("step-00000006", notice);
        Assert.EndsWith("resuming from step-00000004, the newest checkpoint that loads.", notice);
        // (the other notice: the log's lines of steps 5 and 6, trained again, were dropped)
        Assert.Contains(resumed.Notices, n => n.Contains("dropped 2 line(s) past step 4"));
    }

    [Fact]
    public void ADamagedCheckpoint_WithNoOlderOneThatLoads_IsRefusedWithTheDamage()
    {
        // Given both checkpoints of an interrupted run damaged
        using var folder = new TemporaryDirectory();
        InterruptAfterStep6(folder.Path);
        foreach (string step in new[] { "step-00000004", "step-00000006" })
            File.WriteAllText(folder.Combine(TrainingCheckpoint.FolderName, step, "trainer_state.json"), "{}");

        // When resumed, the damage of the newest is reported (not step 0, not a NullReferenceException)
        var error = Assert.Throws<InvalidDataException>(() => TrainingRun.Resume(folder.Path));

        Assert.Contains("step-00000006", error.Message);
        Assert.Contains("missing required field", error.Message);
    }

    [Fact]
    public void ATrainerStateWithANegativeStep_IsADamagedFile_NamedAsSuch()
    {
        // Given both checkpoints of an interrupted run edited to step -5
        using var folder = new TemporaryDirectory();
        InterruptAfterStep6(folder.Path);
        foreach (string step in new[] { "step-00000004", "step-00000006" })
        {
            string path = folder.Combine(TrainingCheckpoint.FolderName, step, "trainer_state.json");
            var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
            node["step"] = -5;
            File.WriteAllText(path, node.ToJsonString());
        }

        // When resumed: a damaged file (runtime failure), not a bad setting, named with its path
        var error = Assert.Throws<InvalidDataException>(() => TrainingRun.Resume(folder.Path));

        Assert.Contains(Path.Combine("step-00000006", "trainer_state.json"), error.Message);
        Assert.Contains("step -5", error.Message);
    }

    [Fact]
    public void ACheckpointOfAnotherShapeThanRunJson_IsRefused_InTheFilesTerms()
    {
        // Given an interrupted run whose run.json was edited to k 5 for SAE 0 (its checkpoints hold k 4)
        using var folder = new TemporaryDirectory();
        InterruptAfterStep6(folder.Path);
        string runJson = folder.Combine(TrainingRun.SpecificationFileName);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(runJson))!;
        node["saes"]![0]!["k"] = 5;
        File.WriteAllText(runJson, node.ToJsonString());

        // When resumed, the mismatch is named in d, h, k as cfg.json and the flags give them, not as a .NET record
        var error = Assert.Throws<InvalidDataException>(() => TrainingRun.Resume(folder.Path));

        Assert.EndsWith("SAE 0 is d 16, h 24, k 4, topk, the run specifies d 16, h 24, k 5, topk.", error.Message);
    }

    [Fact]
    public void RunThatSavedCheckpoints_WithNoneLeft_IsRefused_AndItsLogIsUntouched()
    {
        // Given a run interrupted after step 6 whose checkpoint folders are gone (as the old delete-then-move left
        // a run that had a single checkpoint when killed in between)
        using var folder = new TemporaryDirectory();
        InterruptAfterStep6(folder.Path);
        foreach (string step in StepFolders(folder.Path)) Directory.Delete(folder.Combine(TrainingCheckpoint.FolderName, step), recursive: true);
        string log = folder.Combine(TrainingRun.MetricsFileName);
        byte[] logBefore = File.ReadAllBytes(log);

        // When resumed
        var error = Assert.Throws<InvalidDataException>(() => TrainingRun.Resume(folder.Path));

        // Then it refuses to start again from step 0, saying why, and the log is as it was
        Assert.Contains("not starting it again from step 0", error.Message);
        Assert.Contains("names step-00000006, which is missing", error.Message);
        Assert.Equal(logBefore, File.ReadAllBytes(log));
    }

    [Fact]
    public void RunKilledBeforeItsFirstCheckpoint_ResumesFromStep0_WithoutDuplicateLines()
    {
        // Given a run killed during step 3, before its first checkpoint (step 4): nothing saved, three steps logged
        using var folder = new TemporaryDirectory();
        var kill = new SynchronousProgress<TrainingProgress>(p => { if (p.Step == 3) throw new SimulatedCrash(); });
        Assert.Throws<SimulatedCrash>(() => TrainingRun.Start(SmallRun(), folder.Path, kill));

        // When resumed
        using var resumed = TrainingRun.Resume(folder.Path);

        // Then it trains from step 0 and logs each step once
        Assert.Equal(12, resumed.Trainer.Step);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), MetricLog.ReadSteps(folder.Combine(TrainingRun.MetricsFileName)).Select(s => s.Step));
    }
}

using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

/// <summary>Issue 13, class 7: temporary files of interrupted writes go at the next start or resume, and never count.</summary>
public sealed class RunFolderTests
{
    private static RunSpecification SmallRun() => new(
        DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 16, FeatureCount: 32, GroupCount: 4, ActiveFeatures: 3, Seed: 5)),
        [new SaeConfig(16, 24, 4), new SaeConfig(16, 24, 4)],
        new TrainingConfig(SampleCount: 12 * 32, BatchSize: 32, LearningRate: 0.01f, Seed: 9, CheckpointEverySteps: 4));

    private static string Guid32() => Guid.NewGuid().ToString("N");

    [Fact]
    public void Resume_RemovesTheTemporaryFilesOfKilledWrites_AndNeverResumesFromThem()
    {
        // Given a run interrupted after step 6, and what kills during writes leave: a checkpoint folder being written
        // (a later step, complete-looking), the `latest` pointer's, the log's and an SAE file's temporary files
        using var folder = new TemporaryDirectory();
        using (var cancellation = new CancellationTokenSource())
        using (TrainingRun.Start(SmallRun(), folder.Path, new SynchronousProgress<TrainingProgress>(p => { if (p.Step == 6) cancellation.Cancel(); }), cancellation.Token))
        {
        }
        string checkpoints = folder.Combine(TrainingCheckpoint.FolderName);
        string partial = Path.Combine(checkpoints, $".tmp-step-00000008-{Guid32()}");
        Directory.CreateDirectory(Path.Combine(partial, "sae-0"));
        File.Copy(Path.Combine(checkpoints, "step-00000006", "trainer_state.json"), Path.Combine(partial, "trainer_state.json"));
        string[] leftovers =
        [
            Path.Combine(checkpoints, $".latest.{Guid32()}.tmp"),
            folder.Combine($".metrics.jsonl.{Guid32()}.tmp"),
            folder.Combine("final", "sae-0", $".sae.safetensors.{Guid32()}.tmp"),
        ];
        Directory.CreateDirectory(folder.Combine("final", "sae-0"));
        foreach (string leftover in leftovers) File.WriteAllText(leftover, "partial");
        string userFile = folder.Combine("notes.tmp");
        File.WriteAllText(userFile, "mine");

        // When resumed
        var steps = new List<long>();
        using var resumed = TrainingRun.Resume(folder.Path, new SynchronousProgress<TrainingProgress>(p => steps.Add(p.Step)));

        // Then they are gone, the run continued from its real checkpoint, a file not of Mfr's making stayed, and it said so
        Assert.False(Directory.Exists(partial));
        Assert.All(leftovers, leftover => Assert.False(File.Exists(leftover), leftover));
        Assert.True(File.Exists(userFile));
        Assert.Equal(7, steps[0]);
        Assert.Contains("removed 4 temporary file(s)", Assert.Single(resumed.Notices));
    }

    [Fact]
    public void RemoveTemporaryFiles_CleansDataFolders_ButLeavesFoldersWithTheirOwnLock()
    {
        // Given an experiment folder with a killed extraction's activation file and a run folder of its own
        using var folder = new TemporaryDirectory();
        Directory.CreateDirectory(folder.Combine("data"));
        Directory.CreateDirectory(folder.Combine("baseline"));
        string activations = folder.Combine("data", $".train.npy.{Guid32()}.tmp");
        string runs = folder.Combine("baseline", $".run.json.{Guid32()}.tmp");
        File.WriteAllText(activations, "partial");
        File.WriteAllText(runs, "partial");
        File.WriteAllText(folder.Combine("baseline", RunFolderLock.FileName), "");
        File.WriteAllText(folder.Combine("data", "train.npy"), "kept");

        // When the experiment's writer cleans its folder
        var removed = RunFolder.RemoveTemporaryFiles(folder.Path);

        // Then only the data folder's leftover goes; the run folder is its own writer's to clean
        Assert.Equal([activations], removed);
        Assert.True(File.Exists(runs));
        Assert.True(File.Exists(folder.Combine("data", "train.npy")));
    }
}

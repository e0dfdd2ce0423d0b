using Mfr.Data;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Tests.TestSupport;
using Mfr.Training;

namespace Mfr.Tests.Training;

/// <summary>Issue 13, class 5: a run is checked against its data before its folder exists or its first step runs.</summary>
public sealed class RunPreflightTests
{
    private static RunSpecification FileRun(string train, string? heldOut, int inputDim = 6) => new(
        new DataSpecification("file", Path: train, HeldOutPath: heldOut),
        [new SaeConfig(inputDim, 8, 2)],
        new TrainingConfig(SampleCount: 200, BatchSize: 50, CheckpointEverySteps: 0));

    private static string Npy(TemporaryDirectory folder, string name, long rows, int width)
    {
        var values = new float[rows * width];
        new Mfr.Numerics.Rng(2).FillGaussian(values);
        NpyWriter.Write(folder.Combine(name), [rows, width], values);
        return folder.Combine(name);
    }

    [Fact]
    public void Start_WithABadHeldOutFile_FailsBeforeCreatingTheRunFolder()
    {
        using var folder = new TemporaryDirectory();
        var specification = FileRun(Npy(folder, "train.npy", 100, 6), Npy(folder, "heldout.npy", 20, 4));

        Assert.Throws<InvalidDataException>(() => TrainingRun.Start(specification, folder.Combine("run")));

        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Fact]
    public void Start_WithAnSaeWidthThatIsNotTheData_FailsWithoutAFolder_SoTheCorrectedRunCanUseIt()
    {
        using var folder = new TemporaryDirectory();
        string train = Npy(folder, "train.npy", 100, 6);

        // Given a config whose SAEs expect d = 7 on data of d = 6
        var exception = Assert.Throws<ArgumentException>(() => TrainingRun.Start(FileRun(train, null, inputDim: 7), folder.Combine("run")));
        Assert.Contains("d = 6", exception.Message);

        // When the corrected config is started in the same folder
        using var corrected = TrainingRun.Start(FileRun(train, null), folder.Combine("run"));

        // Then it trains there (no "already holds a run")
        Assert.True(corrected.Completed);
    }

    [Fact]
    public void Resume_AfterItsHeldOutFileWasRemoved_FailsBeforeAStepIsTrained()
    {
        // Given a run interrupted after its first checkpoint (step 2 of 4), whose held-out file is then removed
        using var folder = new TemporaryDirectory();
        string heldOut = Npy(folder, "heldout.npy", 20, 6);
        var specification = FileRun(Npy(folder, "train.npy", 100, 6), heldOut) with { Training = new TrainingConfig(SampleCount: 200, BatchSize: 50, CheckpointEverySteps: 2) };
        using (var cancellation = new CancellationTokenSource())
        using (TrainingRun.Start(specification, folder.Combine("run"), new SynchronousProgress<TrainingProgress>(p => { if (p.Step == 2) cancellation.Cancel(); }), cancellation.Token))
        {
        }
        File.Delete(heldOut);

        // When it is resumed
        var steps = new List<long>();
        var exception = Assert.Throws<FileNotFoundException>(() => TrainingRun.Resume(folder.Combine("run"), new SynchronousProgress<TrainingProgress>(p => steps.Add(p.Step))));

        // Then the preflight names the file, and no step was trained
        Assert.Contains("heldout.npy", exception.Message);
        Assert.Empty(steps);
    }
}

/// <summary>Issue 13, classes 6 and 8: a damaged run.json is one line naming the file and the field.</summary>
public sealed class RunSpecificationFileTests
{
    [Theory]
    [InlineData("{}", "data")]
    [InlineData("{\"data\": {\"kind\": \"synthetic\"}, \"training\": {}}", "saes")]
    [InlineData("{\"data\": {\"kind\": \"synthetic\"}, \"saes\": [{\"inputDim\": 256, \"latentCount\": 512, \"k\": 32}], \"training\": {\"batchSize\": \"big\"}}", "training.batchSize")]
    [InlineData("{\"data\": {\"kind\": \"synthetic\"}, \"saes\": [{\"inputDim\": 256, \"latentCount\": 512, \"k\": 32}], \"training\": {\"batchSize\": 0}}", "Batch size")]
    [InlineData("{\"data\": ", "line")]
    public void DamagedRunJson_IsInvalidData_NamingTheFile(string json, string expected)
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllText(folder.Combine(TrainingRun.SpecificationFileName), json);

        var exception = Assert.Throws<InvalidDataException>(() => TrainingRun.ReadSpecification(folder.Path));

        Assert.Contains(folder.Combine(TrainingRun.SpecificationFileName), exception.Message);
        Assert.Contains(expected, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
    }
}

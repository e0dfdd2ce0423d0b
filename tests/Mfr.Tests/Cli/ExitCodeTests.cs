using System.CommandLine;
using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>Issue 13, classes 4, 6 and 8: exit code 2 for usage, 1 for runtime failures, one line each, never a stack trace.</summary>
public sealed class ExitCodeTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    private static string Npy(TemporaryDirectory folder, string name, long rows, int width)
    {
        var values = new float[rows * width];
        new Mfr.Numerics.Rng(4).FillGaussian(values);
        Mfr.IO.NpyWriter.Write(folder.Combine(name), [rows, width], values);
        return folder.Combine(name);
    }

    private static void AssertOneLine(string error)
    {
        Assert.DoesNotContain("   at ", error);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("mfr: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Divergence_ExitsWith1_OneLineNamingTheStep_AndNoFinalSaes()
    {
        using var folder = new TemporaryDirectory();
        string train = Npy(folder, "train.npy", 300, 6);

        var (code, _, error) = Run("train", "--data", train, "--lr", "1e6", "--latents", "8", "--k", "2", "--samples", "3000", "--batch-size", "50", "--out", folder.Combine("run"));

        Assert.Equal(1, code);
        Assert.Contains("mfr: error: training diverged at step ", error);
        AssertOneLine(error);
        Assert.False(Directory.Exists(folder.Combine("run", "final")));
    }

    [Fact]
    public void BadDataFile_ExitsWith1_BadSetting_ExitsWith2()
    {
        using var folder = new TemporaryDirectory();
        File.WriteAllBytes(folder.Combine("empty.npy"), []);

        var (dataCode, _, dataError) = Run("train", "--data", folder.Combine("empty.npy"), "--out", folder.Combine("a"));
        var (settingCode, _, settingError) = Run("train", "--samples", "0", "--out", folder.Combine("b"));

        Assert.Equal(1, dataCode);
        AssertOneLine(dataError);
        Assert.Equal(2, settingCode);
        AssertOneLine(settingError);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void TrainWithoutAWholeBatch_IsAUsageError_NotAnInternalOne(string batchSize)
    {
        using var folder = new TemporaryDirectory();

        // The start line's step count divided by the batch size before the config was validated.
        var (code, _, error) = Run("train", "--batch-size", batchSize, "--out", folder.Combine("run"));

        Assert.Equal(2, code);
        Assert.Contains($"Batch size must be at least 1, got {batchSize}.", error);
        Assert.DoesNotContain("internal error", error);
        AssertOneLine(error);
        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Theory]
    [InlineData("--latents", "100000000")]
    [InlineData("--batch-size", "1000000000")]
    public void RunTooLargeForTheMachine_ExitsWith2_GivingTheEstimate_AndCreatesNoFolder(string flag, string value)
    {
        using var folder = new TemporaryDirectory();

        var (code, _, error) = Run("train", flag, value, "--samples", "1000000000", "--out", folder.Combine("run"));

        Assert.Equal(2, code);
        Assert.Contains("needs about", error);
        AssertOneLine(error);
        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void BenchWithoutTimedSteps_IsAUsageError_NamingSteps(string steps)
    {
        var (code, _, error) = Run("bench", "--steps", steps, "--batch-size", "16", "--input-dim", "8", "--latents", "16", "--k", "2");

        Assert.Equal(2, code);
        // The message also names the config-file key (BenchConfig), as every setting's does since --config.
        Assert.Contains($"--steps (steps) must be at least 1, got {steps}.", error);
        AssertOneLine(error);
    }

    [Fact]
    public void BenchWithAnInputDimTooSmallForTheSyntheticGroups_IsAUsageError_NamingTheFlagAndTheSmallestThatWorks()
    {
        // d 8 gives 24 features in 12 groups: 2 per group, fewer than the 32 active features of every sample
        var (code, _, error) = Run("bench", "--steps", "1", "--batch-size", "16", "--input-dim", "8", "--latents", "16", "--k", "2");
        var (smallestCode, _, smallestError) = Run("bench", "--steps", "1", "--batch-size", "16", "--input-dim", "192", "--latents", "16", "--k", "2");

        Assert.Equal(2, code);
        Assert.Contains("--input-dim 8 is too small for the synthetic data: its 24 features in 12 groups leave 2 per group, fewer than the 32 active in each sample; use --input-dim 192 or more.", error);
        AssertOneLine(error);
        Assert.True(smallestCode == 0, smallestError);
    }

    [Fact]
    public void SafetensorsWithTwoTensors_ListsThem_AndTensorChoosesOne()
    {
        using var folder = new TemporaryDirectory();
        var values = new float[100 * 6];
        new Mfr.Numerics.Rng(6).FillGaussian(values);
        string path = folder.Combine("acts.safetensors");
        Mfr.IO.SafetensorsWriter.Write(path, [new Mfr.IO.NamedTensor("other", [3, 2], new float[6]), new Mfr.IO.NamedTensor("acts", [100, 6], values)]);
        string[] common = ["train", "--data", path, "--latents", "8", "--k", "2", "--samples", "100", "--batch-size", "50", "--eval-batches", "1"];

        var (unnamedCode, _, unnamedError) = Run([.. common, "--out", folder.Combine("a")]);
        var (namedCode, namedOutput, namedError) = Run([.. common, "--tensor", "acts", "--out", folder.Combine("b")]);

        Assert.Equal(2, unnamedCode);
        Assert.Contains("(other, acts)", unnamedError);
        Assert.Contains("--tensor", unnamedError);
        AssertOneLine(unnamedError);
        Assert.True(namedCode == 0, namedError);
        Assert.Contains("sae-1", namedOutput);
        Assert.Equal("acts", Mfr.Training.TrainingRun.ReadSpecification(folder.Combine("b")).Data.TensorName);
    }

    [Fact]
    public void ArgumentException_LosesItsParameterNameAndActualValueLines()
    {
        // Given a command that throws as a library guard does, with .NET's furniture
        Command Throwing()
        {
            var command = new Command("guard");
            command.SetAction((Func<ParseResult, int>)(_ => throw new ArgumentOutOfRangeException("sequenceLength", 1024, "--context must be in [1, 1024].")));
            return command;
        }

        var error = new StringWriter();
        int code = CliApplication.Run(["guard"], new StringWriter(), error, _ => [Throwing()], debug: false);

        Assert.Equal(2, code);
        Assert.Equal("mfr: error: --context must be in [1, 1024].", error.ToString().TrimEnd());
    }

    [Fact]
    public void ExitCodes_FollowTheKindOfFailure()
    {
        // Given one exception of each kind a command can end with (wrapped as parallel work wraps them)
        var cases = new (Exception Exception, int ExitCode)[]
        {
            (new ArgumentException("--lr must be positive."), 2),
            (new InvalidDataException("x.npy is truncated."), 1),
            (new FileNotFoundException("Data file not found: x.npy"), 1),
            (new IOException("disk full"), 1),
            (new Mfr.Training.TrainingDivergedException(3, 1, "reconstruction loss is NaN"), 1),
            (new OperationCanceledException(), 130),
            (new AggregateException(new InvalidDataException("bad row")), 1),
            (new AggregateException(new ArgumentException("bad flag")), 2),
        };

        // Then usage errors are 2, runtime failures 1, interruptions 130, and each is user-facing
        foreach (var (exception, exitCode) in cases)
        {
            Assert.True(ErrorMessages.IsUserFacing(exception), exception.GetType().Name);
            Assert.Equal(exitCode, ErrorMessages.ExitCode(exception));
        }
    }

    [Fact]
    public void UnexpectedException_IsOneInternalErrorLine_WithTheTraceOnlyWithDebug()
    {
        Command Throwing()
        {
            var command = new Command("bug");
            command.SetAction(_ => ((int[])[])[1]);
            return command;
        }

        var quiet = new StringWriter();
        int code = CliApplication.Run(["bug"], new StringWriter(), quiet, _ => [Throwing()], debug: false);
        var verbose = new StringWriter();
        CliApplication.Run(["bug"], new StringWriter(), verbose, _ => [Throwing()], debug: true);

        Assert.Equal(1, code);
        Assert.StartsWith("mfr: internal error: IndexOutOfRangeException: ", quiet.ToString());
        Assert.Contains("(please report", quiet.ToString());
        AssertOneLine(quiet.ToString());
        Assert.Contains("   at ", verbose.ToString());
    }
}

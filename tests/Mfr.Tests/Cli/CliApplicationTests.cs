using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

public sealed class CliApplicationTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    [Theory]
    [InlineData("train --bogus 1", "--bogus")]
    [InlineData("train --k 600 --latents 512 --samples 10", "k must be between 1 and the latent count 512")]
    [InlineData("train --lr -1 --samples 10", "Learning rate must be a positive number")]
    [InlineData("train --mode strong --samples 10", "--mode must be baseline, reinit, penalty, mfr or mean-max")]
    [InlineData("train --beta lots --samples 10", "--beta must be 'auto' or a non-negative number")]
    [InlineData("train --batch-size abc", "abc")]
    [InlineData("bench --mode mean-max --k 2 --steps 1", "--mode mean-max couples SAEs: give at least two --k values.")]
    [InlineData("bench --input-dim 99999999 --latents 16 --k 2 --steps 1 --batch-size 100", "GB of memory")]
    [InlineData("consistency --benchmark synthsaebench-16k --data x.npy", "--benchmark and --data both name the training data; give one")]
    public void BadInput_GivesOneLineErrorAndExitCode2_NeverAStackTrace(string commandLine, string expectedFragment)
    {
        var (code, _, error) = Run(commandLine.Split(' '));
        Assert.Equal(2, code);
        Assert.Contains(expectedFragment, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Theory]
    [InlineData("train --lr abc", "mfr: error: --lr needs a number, got 'abc'.")]
    [InlineData("train --samples 1.5", "mfr: error: --samples needs an integer, got '1.5'.")]
    [InlineData("train --data-seed -1", "mfr: error: --data-seed needs a non-negative integer (below 2^64), got '-1'.")]
    [InlineData("train --batch-size 3000000000", "mfr: error: --batch-size needs an integer (at most 2,147,483,647), got '3000000000'.")]
    [InlineData("export /tmp --format foo --out /tmp/x", "mfr: error: Argument 'foo' not recognized. Must be one of: 'saelens', 'sparsify'")]
    public void AFlagValueOfTheWrongKind_SaysWhatTheFlagTakes_WithoutDotNetTypeNames(string commandLine, string expected)
    {
        // When a flag's value does not parse as the flag's type
        var (code, _, error) = Run(commandLine.Split(' '));

        // Then a usage error whose line says what the flag takes, in the form every error has
        Assert.Equal(2, code);
        Assert.Equal(expected, error.Split('\n')[0].TrimEnd('\r'));
        Assert.DoesNotContain("System.", error);
    }

    [Theory]
    [InlineData("eval", "--sae", "mfr: error: --sae needs a folder path, got ''.")]
    [InlineData("train", "--out", "mfr: error: --out needs a folder path, got ''.")]
    [InlineData("train", "--config", "mfr: error: --config needs a file path, got ''.")]
    public void AnEmptyPath_IsAUsageError_NotAnInternalOne(string command, string flag, string expected)
    {
        // When a path flag is given an empty string (an unset shell variable)
        var (code, _, error) = Run(command, flag, "");

        // Then a usage error saying what the flag takes: not "internal error", no .NET type names
        Assert.Equal(2, code);
        Assert.Equal(expected, error.Split('\n')[0].TrimEnd('\r'));
        Assert.DoesNotContain("System.", error);
    }

    [Fact]
    public void ASyntheticRunTooLargeForMemory_IsRefusedByTheEstimate_BeforeAnythingIsAllocated()
    {
        // Given synthetic data 99,999,999 wide: its true features alone are about 200 GB
        using var folder = new TemporaryDirectory();

        // When it is started
        var (code, _, error) = Run("train", "--input-dim", "99999999", "--latents", "16", "--k", "2", "--samples", "2000", "--batch-size", "100", "--out", folder.Combine("run"));

        // Then the memory estimate refuses it (a usage error), before the ground-truth evaluator's copy of the features
        // ran out of memory or overflowed, and no run folder is left
        Assert.Equal(2, code);
        Assert.Contains("of memory", error);
        Assert.Contains("more than the", error);
        Assert.DoesNotContain("internal error", error);
        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Theory]
    [InlineData("eval --sae /nonexistent/sae-folder", "mfr: error: SAE folder not found: /nonexistent/sae-folder")]
    public void MissingFile_GivesOneLineErrorAndExitCode1_NeverAStackTrace(string commandLine, string expectedFragment)
    {
        var (code, _, error) = Run(commandLine.Split(' '));
        Assert.Equal(1, code);
        Assert.Contains(expectedFragment, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Eval_OnCorruptSafetensors_SaysSoInOneLine()
    {
        using var folder = new TemporaryDirectory();
        // Given a valid run's SAE whose weights file is then truncated
        var (trainCode, _, trainError) = Run("train", "--samples", "64", "--batch-size", "32", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16", "--k", "2", "--count", "1", "--out", folder.Combine("run"));
        Assert.True(trainCode == 0, trainError);
        string weights = folder.Combine("run", "final", "sae-0", "sae_weights.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length - 10)]);

        // When it is evaluated
        var (code, _, error) = Run("eval", "--sae", folder.Combine("run", "final", "sae-0"), "--features", "48", "--active-features", "3");

        // Then the error names the file and the problem (a runtime failure: exit code 1)
        Assert.Equal(1, code);
        Assert.Contains("sae_weights.safetensors", error);
        Assert.Contains("truncated", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void Train_ThenEval_PrintsTablesAndWritesTheRunFolder()
    {
        using var folder = new TemporaryDirectory();
        var (code, output, error) = Run("train", "--samples", "256", "--batch-size", "64", "--input-dim", "8", "--features", "48", "--active-features", "3", "--latents", "16", "--k", "2", "3", "--count", "1", "--out", folder.Combine("run"));
        Assert.True(code == 0, error);
        Assert.Contains("sae-1", output);
        Assert.True(File.Exists(folder.Combine("run", "run.json")));
        // 4 step lines, and (synthetic data) ground-truth recovery at step 0 and at the last step
        Assert.Equal(4, Mfr.Training.MetricLog.ReadSteps(folder.Combine("run", "metrics.jsonl")).Count());
        Assert.Equal([0L, 4], Mfr.Evaluation.GroundTruthRecoveryEvaluator.ReadLog(folder.Combine("run", "metrics.jsonl")).Select(l => l.Step));
        Assert.True(File.Exists(folder.Combine("run", "final", "evaluation.json")));

        var (evalCode, evalOutput, evalError) = Run("eval", "--sae", folder.Combine("run", "final", "sae-0"), folder.Combine("run", "final", "sae-1"), "--features", "48", "--active-features", "3", "--batches", "2", "--batch-size", "50");
        Assert.True(evalCode == 0, evalError);
        Assert.Contains("100 samples", evalOutput);
    }
}

public sealed class CliFileDataTests
{
    [Fact]
    public void Train_OnAnNpyFile_WithHeldOutFile_Works_AndNaNInDataIsAOneLineError()
    {
        using var folder = new TemporaryDirectory();
        // Given vectors written as .npy by our writer (the format numpy and other tools produce)
        var rng = new Mfr.Numerics.Rng(3);
        var train = new float[300 * 6];
        rng.FillGaussian(train);
        Mfr.IO.NpyWriter.Write(folder.Combine("train.npy"), [300, 6], train);
        Mfr.IO.NpyWriter.Write(folder.Combine("heldout.npy"), [50, 6], train.AsSpan(0, 50 * 6));
        var output = new StringWriter();
        var error = new StringWriter();

        int code = CliApplication.Run(["train", "--data", folder.Combine("train.npy"), "--held-out", folder.Combine("heldout.npy"), "--latents", "8", "--k", "2",
            "--samples", "400", "--batch-size", "50", "--eval-batches", "1", "--out", folder.Combine("run")], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("sae-1", output.ToString());

        // And a NaN in the data stops training with a message naming the file
        train[123] = float.NaN;
        Mfr.IO.NpyWriter.Write(folder.Combine("bad.npy"), [300, 6], train);
        var badError = new StringWriter();
        int badCode = CliApplication.Run(["train", "--data", folder.Combine("bad.npy"), "--latents", "8", "--k", "2", "--samples", "600", "--batch-size", "300", "--out", folder.Combine("bad")], new StringWriter(), badError);
        Assert.Equal(1, badCode);
        Assert.Contains("bad.npy", badError.ToString());
        Assert.Contains("NaN", badError.ToString());
        Assert.DoesNotContain("   at ", badError.ToString());
    }
}

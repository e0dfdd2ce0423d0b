using Mfr.Cli;
using Mfr.Experiments;
using Mfr.Tests.Eeg;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Experiments;

public sealed class EegExperimentTests
{
    /// <summary>Four recordings of 2-3 s at 100 Hz (the rate the test keeps or resamples).</summary>
    private static string WriteRecordings(TemporaryDirectory folder)
    {
        for (int i = 0; i < 4; i++)
            folder.Write($"in/rec{i}.edf", SyntheticEeg.File(SyntheticEeg.EegmatLabels, 100, 2 + i % 2, seed: (ulong)i + 1).Build());
        return folder.File("in");
    }

    private static string[] Tiny(string input, string output) =>
        ["eeg", "--folder", input, "--held-out-fraction", "0.4", "--latents", "8", "--k", "1", "2", "--samples", "24", "--batch-size", "4", "--warmup", "1", "--out", output];

    [Fact]
    public void AFolderWithoutRecordings_IsRefused_BeforeTheExperimentsFolderIsMade()
    {
        // Given a folder with no .edf or .bdf file in it
        using var folder = new TemporaryDirectory();
        folder.Write("in/notes.txt", [1, 2, 3]);
        var error = new StringWriter();

        // When the experiment starts on it
        int code = CliApplication.Run(Tiny(folder.File("in"), folder.File("out")), new StringWriter(), error);

        // Then it fails saying so, and leaves no experiment folder behind
        Assert.Equal(1, code);
        Assert.Contains("no .edf or .bdf files found", error.ToString());
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Theory]
    [InlineData("one recording", 1)]
    [InlineData("--held-out-fraction 0", 2)]
    [InlineData("--cache FILE", 2)]
    public void ASplitOrCacheThatCannotWork_IsRefused_BeforeTheExperimentsFolderIsMade(string what, int expectedCode)
    {
        // Given four recordings (one, for the first case) and settings the headers alone show cannot work
        using var folder = new TemporaryDirectory();
        string input = WriteRecordings(folder);
        if (what == "one recording")
            foreach (string extra in Directory.GetFiles(input).Order(StringComparer.Ordinal).Skip(1)) File.Delete(extra);
        string[] args = Tiny(input, folder.File("out"));
        if (what == "--held-out-fraction 0") args = [.. args.Select(a => a == "0.4" ? "0" : a)];
        if (what == "--cache FILE") args = [.. args, "--cache", folder.Write("notes.txt", [1])];
        var error = new StringWriter();

        // When the experiment starts
        int code = CliApplication.Run(args, new StringWriter(), error);

        // Then it fails with the reason and leaves no experiment folder behind
        Assert.Equal(expectedCode, code);
        Assert.DoesNotContain("internal error", error.ToString());
        Assert.False(Directory.Exists(folder.File("out")), error.ToString());
    }

    [Fact]
    public void TargetRateNone_KeepsTheFilesRate_AndTheDefaultResamplesTo250Hz()
    {
        // Given recordings at 100 Hz
        using var folder = new TemporaryDirectory();
        string input = WriteRecordings(folder);
        int channels = SyntheticEeg.EegmatLabels.Length;

        // When the experiment runs once keeping the rate and once on the default
        var keptError = new StringWriter();
        int kept = CliApplication.Run([.. Tiny(input, folder.File("kept")), "--target-rate", "none"], new StringWriter(), keptError);
        var defaultError = new StringWriter();
        int resampled = CliApplication.Run(Tiny(input, folder.File("default")), new StringWriter(), defaultError);

        // Then segments are channels x 100 samples in the first, channels x 250 in the second
        Assert.True(kept == 0, keptError.ToString());
        Assert.True(resampled == 0, defaultError.ToString());
        using (var npy = Mfr.IO.NpyFile.Open(folder.File("kept/data/train.npy"))) Assert.Equal(channels * 100, npy.RowLength);
        using (var npy = Mfr.IO.NpyFile.Open(folder.File("default/data/train.npy"))) Assert.Equal(channels * 250, npy.RowLength);
        var result = Assert.IsType<EegExperimentResult>(ExperimentFolder.ReadResults(folder.File("kept")));
        Assert.Null(result.Config.Preprocessing.TargetSamplingRateHz);
        Assert.Equal([1, 2], result.Sweep.Rows.Select(r => r.K));
        Assert.Contains("mfr eeg: prepared", keptError.ToString());
    }
}

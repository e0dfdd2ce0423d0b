using Mfr.Checkpoints;
using Mfr.Cli;
using Mfr.Experiments;
using Mfr.Interop;
using Mfr.Sae;
using Mfr.Tests.Interop;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Experiments;

/// <summary>Issue 15 item 5: `mfr compare SAE_A SAE_B` between SAEs of any layout.</summary>
public sealed class CompareExperimentTests
{
    /// <summary>Saves an Mfr SAE in <paramref name="folder"/> whose latents point at the given angles (degrees) in the plane, with rows of length <paramref name="length"/>.</summary>
    private static string SaveAtAngles(string folder, double[] degrees, float length = 1)
    {
        using var sae = new TopKSae(new SaeConfig(2, degrees.Length, 1, SaeActivation.TopK, false));
        for (int j = 0; j < degrees.Length; j++)
        {
            sae.Weights[2 * j] = length * (float)Math.Cos(degrees[j] * Math.PI / 180);
            sae.Weights[2 * j + 1] = length * (float)Math.Sin(degrees[j] * Math.PI / 180);
        }
        sae.RefreshDecoder();
        SaeFiles.Save(sae, folder);
        return folder;
    }

    private static CompareExperimentResult Compare(string a, string b) => CompareExperiment.Run(new CompareExperimentConfig { SaeA = a, SaeB = b });

    [Fact]
    public void KnownCosines_GiveTheHandComputedMatching()
    {
        // Given latents at 0, 45, 90 degrees and latents at 0, 120, 45 degrees (rows of another length)
        using var temp = new TemporaryDirectory();
        string a = SaveAtAngles(temp.Combine("a"), [0, 45, 90]);
        string b = SaveAtAngles(temp.Combine("b"), [0, 120, 45], length: 3);

        // When they are compared
        var result = Compare(a, b);

        // Then the optimum pairs 0-0 (cos 1), 45-45 (cos 1), 90-120 (cos 30 degrees): every row of A at its best, so no other matching is better
        Assert.Equal(3, result.MatchedCount);
        Assert.Equal((2 + Math.Sqrt(3) / 2) / 3, result.Mmcs, 1e-6);
        Assert.Equal([1.0, 1.0, 2.0 / 3], result.Shared.Select(shared => shared.Fraction).ToArray());
        Assert.Equal([0.5, 0.7, 0.9], result.Shared.Select(shared => shared.Threshold).ToArray());
        Assert.Equal(20, result.Histogram.Count);
        Assert.Equal(1, result.Histogram.Single(bin => bin.Lower == 0.8).Count); // cos 30 degrees = 0.866
        Assert.Equal(2, result.Histogram.Single(bin => bin.Lower == 0.9).Count); // the two exact matches, 1 in the last bin
        Assert.Equal(3, result.Histogram.Sum(bin => bin.Count));
    }

    [Fact]
    public void PermutedCopy_HasMmcsOne_AndEveryLatentShared()
    {
        // Given the same three directions in another order
        using var temp = new TemporaryDirectory();
        string a = SaveAtAngles(temp.Combine("a"), [0, 45, 90]);
        string b = SaveAtAngles(temp.Combine("b"), [90, 0, 45]);

        // When they are compared
        var result = Compare(a, b);

        // Then MMCS is 1 and shared@0.9 is 1
        Assert.Equal(1, result.Mmcs, 1e-6);
        Assert.Equal(1, result.Shared.Single(shared => shared.Threshold == 0.9).Fraction);
    }

    [Fact]
    public void DifferentWidths_MatchTheSmallerDictionaryEntirely()
    {
        // Given three latents (0, 45, 90 degrees) and two (0, 120 degrees)
        using var temp = new TemporaryDirectory();
        string a = SaveAtAngles(temp.Combine("a"), [0, 45, 90]);
        string b = SaveAtAngles(temp.Combine("b"), [0, 120]);

        // When they are compared
        var result = Compare(a, b);

        // Then both of B's latents are matched, 0-0 (cos 1) and 90-120 (cos 0.866): better than 45-0 + 90-120 or 0-0 + 45-120
        Assert.Equal((3, 2, 2), (result.LatentCountA, result.LatentCountB, result.MatchedCount));
        Assert.Equal((1 + Math.Sqrt(3) / 2) / 2, result.Mmcs, 1e-6);
        Assert.Equal(0.5, result.Shared.Single(shared => shared.Threshold == 0.9).Fraction);
    }

    [Fact]
    public void SaeExportedToSaeLens_ComparedWithItsOriginal_HasMmcsOne()
    {
        // Given an Mfr SAE saved in Mfr's layout and exported in SAELens' layout
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: true, d: 6, h: 10, k: 3);
        SaeFiles.Save(sae, temp.Combine("mfr"));
        SaeLensFormat.Write(sae, temp.Combine("saelens"), new SaeExportInputs(new SaeLensMetadata("vectors.npy")));
        Assert.Equal(SaeLayout.SaeLens, SaeImport.Detect(temp.Combine("saelens")));

        // When the two folders are compared
        var result = Compare(temp.Combine("mfr"), temp.Combine("saelens"));

        // Then every latent matches itself
        Assert.Equal(1, result.Mmcs, 1e-6);
        Assert.Equal(1, result.Shared.Single(shared => shared.Threshold == 0.9).Fraction);
        Assert.Equal(10, result.Histogram[^1].Count);
    }

    [Fact]
    public void Cli_PrintsMmcsSharedAndHistogram()
    {
        // Given a permuted copy
        using var temp = new TemporaryDirectory();
        string a = SaveAtAngles(temp.Combine("a"), [0, 45, 90]);
        string b = SaveAtAngles(temp.Combine("b"), [90, 0, 45]);

        // When mfr compare runs
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run(["compare", a, b], output, error);

        // Then it prints MMCS 1, shared@0.7 = 1, and the three pairs in the top bin
        Assert.True(code == 0, error.ToString());
        string text = output.ToString();
        Assert.Contains("MMCS 1.0000", text);
        Assert.Contains("shared@0.7 1.0000", text);
        Assert.Matches(@"\[0\.9, 1\.0\]\s+3\s+#+", text);
    }

    [Fact]
    public void DifferentInputWidths_AreOneLineWithExitCode2()
    {
        // Given SAEs of d_in 2 and 6
        using var temp = new TemporaryDirectory();
        string a = SaveAtAngles(temp.Combine("a"), [0, 45, 90]);
        using (var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: false)) SaeFiles.Save(sae, temp.Combine("b"));

        // When mfr compare runs
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run(["compare", a, temp.Combine("b")], output, error);

        // Then it exits 2 with one line naming both widths
        Assert.Equal(2, code);
        string message = error.ToString().TrimEnd();
        Assert.DoesNotContain('\n', message);
        Assert.Contains("d_in 2", message);
        Assert.Contains("d_in 6", message);
    }
}

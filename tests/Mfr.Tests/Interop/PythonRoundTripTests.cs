using Mfr.Checkpoints;
using Mfr.Interop;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Interop;

/// <summary>
/// Issue 15 item 6: numpy scripts that load folders exactly as SAELens v6 and sparsify do (file names, strict
/// key sets, tensor layout, forward pass; see their docstrings for the source files followed) reproduce
/// Mfr's reconstruction of our exports, and Mfr reproduces theirs on folders they write.
/// </summary>
public sealed class PythonRoundTripTests
{
    private const double Tolerance = 1e-5;

    private static float[] PythonReconstruction(string script, string folder, float[] inputs, int d, TemporaryDirectory temp)
    {
        string input = temp.File("inputs.npy"), output = temp.File("outputs.npy");
        NpyWriter.Write(input, [inputs.Length / d, d], inputs);
        PythonNumpy.Run(script, "reconstruct", folder, input, output);
        using var file = NpyFile.Open(output);
        Assert.Equal([inputs.Length / d, d], file.Shape);
        return file.ReadAll();
    }

    [PythonNumpyFact]
    public void SaeLensExport_IsReconstructedBySaeLensForwardPass_AsMfrDoes()
    {
        // Given a topk-relu Mfr SAE with a decoder bias, exported in SAELens' layout
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: true);
        SaeLensFormat.Write(sae, temp.File("saelens"), new SaeExportInputs(new SaeLensMetadata("vectors.npy")));
        float[] inputs = InteropSaes.Inputs(40, 6);

        // When SAELens' loader and forward pass run on the folder
        float[] python = PythonReconstruction("saelens_sae.py", temp.File("saelens"), inputs, 6, temp);

        // Then they reconstruct as Mfr's training forward pass does
        Assert.InRange(InteropSaes.MaxAbsDifference(InteropSaes.MfrReconstruction(sae, inputs), python), 0, Tolerance);
    }

    [PythonNumpyFact]
    public void NewRunsFinalSae_LoadsInSaeLens_AndIsReconstructedAsMfrDoes()
    {
        // Given a topk-relu run trained by `mfr train`, whose final/ is in SAELens' layout with its sparsity
        using var temp = new TemporaryDirectory();
        int code = Mfr.Cli.CliApplication.Run(["train", "--samples", "128", "--batch-size", "32", "--input-dim", "6", "--features", "48", "--active-features", "3", "--latents", "12",
            "--k", "3", "--activation", "topk-relu", "--count", "1", "--out", temp.File("run")], new StringWriter(), new StringWriter());
        Assert.Equal(0, code);
        string final = temp.File(Path.Combine("run", "final", "sae-0"));
        Assert.True(File.Exists(Path.Combine(final, SaeLensFormat.SparsityFileName)));
        float[] inputs = InteropSaes.Inputs(40, 6);

        // When SAELens' loader and forward pass run on RUN/final/sae-0 as it is
        float[] python = PythonReconstruction("saelens_sae.py", final, inputs, 6, temp);

        // Then they reconstruct as Mfr does with the SAE its own loader reads from there
        using var sae = SaeFiles.Load(final);
        Assert.InRange(InteropSaes.MaxAbsDifference(InteropSaes.MfrReconstruction(sae, inputs), python), 0, Tolerance);
    }

    [PythonNumpyFact]
    public void SparsifyExport_IsReconstructedBySparsifyForwardPass_AsMfrDoes()
    {
        // Given a topk-relu Mfr SAE with a decoder bias, exported in sparsify's layout
        using var temp = new TemporaryDirectory();
        using var sae = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: true);
        SparsifyFormat.Write(sae, temp.File("sparsify"), new SaeExportInputs(new SaeLensMetadata("vectors.npy")));
        float[] inputs = InteropSaes.Inputs(40, 6);

        // When sparsify's loader and forward pass (b_dec subtracted, ReLU then top-k) run on the folder
        float[] python = PythonReconstruction("sparsify_sae.py", temp.File("sparsify"), inputs, 6, temp);

        // Then they reconstruct as Mfr does
        Assert.InRange(InteropSaes.MaxAbsDifference(InteropSaes.MfrReconstruction(sae, inputs), python), 0, Tolerance);
    }

    [PythonNumpyFact]
    public void SaeLensFolder_WrittenByTheFixture_IsReadByMfr_AndReconstructedTheSame()
    {
        // Given an untied SAELens SAE with rescale_acts_by_decoder_norm and non-unit decoder rows
        using var temp = new TemporaryDirectory();
        string folder = temp.File("saelens");
        PythonNumpy.Run("saelens_sae.py", "write", folder, "3", "6", "12", "4");
        float[] inputs = InteropSaes.Inputs(40, 6);
        float[] python = PythonReconstruction("saelens_sae.py", folder, inputs, 6, temp);

        // When Mfr detects and reads it
        var layout = SaeImport.Detect(folder);
        var sae = SaeImport.Read(folder);

        // Then it is SAELens', and Mfr reconstructs as SAELens does
        Assert.Equal(SaeLayout.SaeLens, layout);
        Assert.InRange(InteropSaes.MaxAbsDifference(python, sae.Reconstruct(inputs, 40)), 0, Tolerance);
    }

    [PythonNumpyFact]
    public void SparsifyFolder_WrittenByTheFixture_IsReadByMfr_AndReconstructedTheSame()
    {
        // Given an untied sparsify SAE
        using var temp = new TemporaryDirectory();
        string folder = temp.File("sparsify");
        PythonNumpy.Run("sparsify_sae.py", "write", folder, "5", "6", "12", "4");
        float[] inputs = InteropSaes.Inputs(40, 6);
        float[] python = PythonReconstruction("sparsify_sae.py", folder, inputs, 6, temp);

        // When Mfr detects and reads it
        var layout = SaeImport.Detect(folder);
        var sae = SaeImport.Read(folder);

        // Then it is sparsify's, and Mfr reconstructs as sparsify does
        Assert.Equal(SaeLayout.Sparsify, layout);
        Assert.InRange(InteropSaes.MaxAbsDifference(python, sae.Reconstruct(inputs, 40)), 0, Tolerance);
    }

    [PythonNumpyFact]
    public void UntiedFixture_IsRefusedByMfrsEvaluatorLoader_WithTheReason()
    {
        // Given an untied sparsify SAE written by the fixture
        using var temp = new TemporaryDirectory();
        string folder = temp.File("sparsify");
        PythonNumpy.Run("sparsify_sae.py", "write", folder, "5", "6", "12", "4");

        // When the loader every command uses reads it
        var exception = Assert.Throws<InvalidDataException>(() => SaeFiles.Load(folder));

        // Then it says the SAE is untied
        Assert.Contains("untied", exception.Message);
        Assert.Contains(folder, exception.Message);
    }
}

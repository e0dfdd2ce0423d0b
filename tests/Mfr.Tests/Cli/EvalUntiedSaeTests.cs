using System.Globalization;
using Mfr.Cli;
using Mfr.Interop;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Tests.Interop;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>Issue 15 item 5: `mfr eval --sae DIR` measures SAEs from any source, untied ones included.</summary>
public sealed class EvalUntiedSaeTests
{
    [Fact]
    public void UntiedSaeLensSae_IsEvaluated_WithTheMseOfItsOwnReconstruction()
    {
        // Given an SAELens folder whose W_dec is no longer the normalised transpose of W_enc, and 40 vectors in a file
        using var temp = new TemporaryDirectory();
        string folder = temp.Combine("untied");
        using (var tied = InteropSaes.Tied(SaeActivation.TopKRelu, decoderBias: true))
            SaeLensFormat.Write(tied, folder, new SaeExportInputs(new SaeLensMetadata("vectors.npy")));
        var read = SaeImport.Read(folder);
        var decoder = read.Decoder.Select((value, i) => value * (1.5f + (i % 7) * 0.1f) + (i % 3 == 0 ? 0.2f : -0.1f)).ToArray();
        var untied = new UntiedTopKSae(read.InputDim, read.LatentCount, read.K, read.Encoder, read.EncoderBias, decoder, read.DecoderBias, read.SubtractDecoderBias, read.ReluAfterTopK);
        SafetensorsWriter.Write(Path.Combine(folder, SaeLensFormat.WeightsFileName),
        [
            new NamedTensor("W_enc", [untied.InputDim, untied.LatentCount], untied.Encoder),
            new NamedTensor("b_enc", [untied.LatentCount], untied.EncoderBias),
            new NamedTensor("W_dec", [untied.LatentCount, untied.InputDim], untied.Decoder),
            new NamedTensor("b_dec", [untied.InputDim], untied.DecoderBias),
        ]);
        float[] inputs = InteropSaes.Inputs(40, 6, seed: 5);
        NpyWriter.Write(temp.File("inputs.npy"), [40, 6], inputs);
        // The scalar reference forward pass (double accumulation, no evaluator kernels) gives the expected MSE.
        float[] reconstruction = untied.Reconstruct(inputs, 40);
        double expectedMse = inputs.Zip(reconstruction, (x, y) => (double)(x - y) * (x - y)).Sum() / inputs.Length;

        // When mfr eval measures it on those vectors
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run(["eval", "--sae", folder, "--data", temp.File("inputs.npy"), "--batches", "1", "--batch-size", "40"], output, error);

        // Then it succeeds and prints that MSE on the SAE's row
        Assert.True(code == 0, error.ToString());
        string row = output.ToString().Split('\n').Single(line => line.TrimStart().StartsWith("untied", StringComparison.Ordinal));
        string[] cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["untied", "3", "10"], cells[..3]);
        Assert.Equal(expectedMse, double.Parse(cells[3], CultureInfo.InvariantCulture), 1e-3 * expectedMse);
        Assert.Contains("40 samples", output.ToString());
    }
}

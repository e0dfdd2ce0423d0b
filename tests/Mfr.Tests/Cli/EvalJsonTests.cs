using System.Globalization;
using System.Text.Json;
using Mfr.Cli;
using Mfr.Interop;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Tests.Interop;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>Issue 15 item 7: `mfr eval --json` writes the evaluation as one JSON object at full precision, for pandas.</summary>
public sealed class EvalJsonTests
{
    [Fact]
    public void EvalJson_CarriesTheTablesNumbers_AtFullPrecision()
    {
        // Given an untied SAELens folder and 40 vectors, with the MSE of the scalar reference forward pass
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
        float[] reconstruction = untied.Reconstruct(inputs, 40);
        double expectedMse = inputs.Zip(reconstruction, (x, y) => (double)(x - y) * (x - y)).Sum() / inputs.Length;
        string[] arguments = ["eval", "--sae", folder, "--data", temp.File("inputs.npy"), "--batches", "1", "--batch-size", "40"];

        // When mfr eval prints its table and, with --json, its JSON
        var table = new StringWriter();
        var json = new StringWriter();
        var error = new StringWriter();
        int tableCode = CliApplication.Run(arguments, table, error);
        int jsonCode = CliApplication.Run([.. arguments, "--json"], json, error);

        // Then the JSON is one camelCase object with a record per SAE
        Assert.True(tableCode == 0 && jsonCode == 0, error.ToString());
        using var document = JsonDocument.Parse(json.ToString());
        var root = document.RootElement;
        Assert.Equal(40, root.GetProperty("samples").GetInt64());
        var sae = Assert.Single(root.GetProperty("saes").EnumerateArray());
        Assert.Equal(folder, sae.GetProperty("folder").GetString());
        Assert.Equal(3, sae.GetProperty("k").GetInt32());
        Assert.Equal(10, sae.GetProperty("latentCount").GetInt32());
        var metrics = sae.GetProperty("metrics");
        double mse = metrics.GetProperty("mse").GetDouble();
        double fvu = metrics.GetProperty("fvu").GetDouble();
        double l0 = metrics.GetProperty("l0").GetDouble();
        // and its numbers round to the table's cells
        string row = table.ToString().Split('\n').Single(line => line.TrimStart().StartsWith("untied", StringComparison.Ordinal));
        string[] cells = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cells[3], mse.ToString("G4", CultureInfo.InvariantCulture));
        Assert.Equal(cells[4], fvu.ToString("G4", CultureInfo.InvariantCulture));
        Assert.Equal(cells[5], l0.ToString("F2", CultureInfo.InvariantCulture));
        Assert.Equal(int.Parse(cells[6], CultureInfo.InvariantCulture), metrics.GetProperty("deadLatents").GetInt32());
        // at full precision: the MSE matches the scalar reference far beyond the table's 4 digits
        Assert.NotEqual(double.Parse(cells[3], CultureInfo.InvariantCulture), mse);
        Assert.Equal(expectedMse, mse, 1e-6 * expectedMse);
    }
}

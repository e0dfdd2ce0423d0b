using System.Globalization;
using System.Text.Json;
using Mfr.Cli;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>Issue 15 item 7: `mfr gpt2 loss-recovered --json FILE` writes the cross-entropies at full precision.</summary>
public sealed class Gpt2LossRecoveredJsonTests
{
    private static string TinyModel => Path.Combine(AppContext.BaseDirectory, "TestData", "Gpt2", "tiny_f32");

    [Fact]
    public void LossRecoveredJson_HoldsThePrintedCrossEntropies_AtFullPrecision()
    {
        // Given the tiny GPT-2, 300 tokens and two SAE folders: the identity (h = k = d, a perfect splice) and an all-zero one
        using var folder = new TemporaryDirectory();
        var rng = new Mfr.Numerics.Rng(5);
        var bytes = new byte[300 * 2];
        for (int i = 0; i < 300; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 2), (ushort)rng.NextInt(96));
        string tokens = folder.Combine("tokens.u16.bin");
        File.WriteAllBytes(tokens, bytes);
        int d;
        using (var weights = Mfr.Gpt2.Gpt2Weights.Load(TinyModel)) d = new Mfr.Gpt2.Gpt2Model(weights).Config.EmbeddingDim;
        using (var identity = new Mfr.Sae.TopKSae(new Mfr.Sae.SaeConfig(d, d, d)))
        {
            for (int j = 0; j < d; j++) identity.Weights[j * d + j] = 1f;
            identity.RefreshDecoder();
            Mfr.Checkpoints.SaeFiles.Save(identity, folder.Combine("identity"));
        }
        using (var zero = new Mfr.Sae.TopKSae(new Mfr.Sae.SaeConfig(d, 4, 1)))
        {
            zero.RefreshDecoder();
            Mfr.Checkpoints.SaeFiles.Save(zero, folder.Combine("zero"));
        }

        // When loss-recovered runs with --json
        var output = new StringWriter();
        var error = new StringWriter();
        string json = folder.Combine("loss.json");
        int code = CliApplication.Run(["gpt2", "loss-recovered", "--model", TinyModel, "--tokens", tokens, "--token-budget", "256", "--context", "64",
            "--sae", folder.Combine("identity"), folder.Combine("zero"), "--json", json], output, error);

        // Then the JSON's numbers round to the printed 4 decimals and carry more digits than them
        Assert.True(code == 0, error.ToString());
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var root = document.RootElement;
        double clean = root.GetProperty("cleanCrossEntropy").GetDouble();
        double zeroAblated = root.GetProperty("zeroAblatedCrossEntropy").GetDouble();
        string text = output.ToString();
        Assert.Contains($"clean CE {clean.ToString("F4", CultureInfo.InvariantCulture)}, zero-ablated CE {zeroAblated.ToString("F4", CultureInfo.InvariantCulture)}", text);
        Assert.NotEqual(Math.Round(clean, 4), clean);
        Assert.Equal(root.GetProperty("predictions").GetInt64().ToString("N0", CultureInfo.CurrentCulture), text.Split(' ')[0]);
        var saes = root.GetProperty("saes").EnumerateArray().ToArray();
        Assert.Equal(2, saes.Length);
        Assert.Equal([folder.Combine("identity"), folder.Combine("zero")], saes.Select(sae => sae.GetProperty("folder").GetString()));
        Assert.Equal([d, 1], saes.Select(sae => sae.GetProperty("k").GetInt32()));
        string[] rows = text.Split('\n');
        for (int m = 0; m < 2; m++)
        {
            string[] cells = rows.Single(row => row.TrimStart().StartsWith($"sae-{m} ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(cells[2], saes[m].GetProperty("splicedCrossEntropy").GetDouble().ToString("F4", CultureInfo.InvariantCulture));
            Assert.Equal(cells[3], saes[m].GetProperty("fraction").GetDouble().ToString("F4", CultureInfo.InvariantCulture));
        }
        // and say what the splices are: the identity splice is the clean model, the zero SAE is the ablation
        Assert.Equal(clean, saes[0].GetProperty("splicedCrossEntropy").GetDouble(), 4);
        Assert.Equal(zeroAblated, saes[1].GetProperty("splicedCrossEntropy").GetDouble(), 4);
    }
}

using System.Text.Json.Nodes;
using Mfr.IO;
using Mfr.Sae;

namespace Mfr.Interop;

/// <summary>
/// EleutherAI sparsify folders (read for this file: sparsify/sparse_coder.py <c>SparseCoder.__init__</c>,
/// <c>load_from_disk</c>, <c>save_to_disk</c>, <c>encode</c>, <c>decode</c>, <c>forward</c>;
/// sparsify/fused_encoder.py <c>FusedEncoder.forward</c>; sparsify/config.py <c>SparseCoderConfig</c>).
/// The loader pops <c>d_in</c> from <c>cfg.json</c>, builds <c>SparseCoderConfig</c> from the rest
/// (unknown keys dropped), builds <c>encoder = nn.Linear(d_in, num_latents)</c> (weight [num_latents, d_in]),
/// <c>W_dec</c> [num_latents, d_in] and <c>b_dec</c> [d_in], and loads <c>sae.safetensors</c> with
/// <c>strict=True</c>: exactly encoder.weight, encoder.bias, W_dec, b_dec (W_skip too with skip_connection).
/// Forward: <c>top-k of relu((x - b_dec) encoder.weight^T + encoder.bias)</c> (b_dec not subtracted for
/// transcoders), decoded as <c>sum_j z_j W_dec_j + b_dec</c>. ReLU before the top k and after it give the
/// same reconstruction (a selected value that ReLU zeroed contributes nothing either way), so a sparsify SAE
/// is a ReLU-after-TopK SAE that always subtracts b_dec.
/// </summary>
public static class SparsifyFormat
{
    /// <summary>Weights file name (sparse_coder.py <c>save_to_disk</c>).</summary>
    public const string WeightsFileName = "sae.safetensors";

    /// <summary>Config file name.</summary>
    public const string ConfigFileName = "cfg.json";

    /// <summary>The encoder weight tensor, whose presence tells sparsify's sae.safetensors from Mfr's.</summary>
    public const string EncoderWeightName = "encoder.weight";

    /// <summary>Writes <paramref name="sae"/> as one sparsify SAE folder (created if needed).</summary>
    /// <exception cref="ArgumentException">A topk SAE (no ReLU) without held-out vectors (see <see cref="ActivationCheck"/>).</exception>
    public static SaeExportResult Write(TopKSae sae, string directory, SaeExportInputs inputs)
    {
        var check = ActivationCheck.For(sae, inputs.HeldOutVectors.Span);
        var config = sae.Config;
        int d = config.InputDim, h = config.LatentCount;
        Directory.CreateDirectory(directory);
        // sparsify always subtracts b_dec before encoding; Mfr keeps b_dec zero unless it does the same.
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName),
        [
            new(EncoderWeightName, [h, d], sae.Weights.ToArray()),
            new("encoder.bias", [h], sae.Bias.ToArray()),
            new("W_dec", [h, d], sae.Decoder.ToArray()),
            new("b_dec", [d], sae.DecoderBias.ToArray()),
        ], new Dictionary<string, string> { ["format"] = "pt" });
        var fields = new JsonObject
        {
            ["activation"] = "topk",
            // num_latents wins when non-zero; expansion_factor is informative (an integer in sparsify).
            ["expansion_factor"] = Math.Max(1, h / d),
            ["normalize_decoder"] = true,
            ["num_latents"] = h,
            ["k"] = config.K,
            ["multi_topk"] = false,
            ["skip_connection"] = false,
            ["transcode"] = false,
            ["d_in"] = d,
        };
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), fields.ToJsonString(InteropJson.Indented) + "\n");
        return new SaeExportResult(directory, SaeLayout.Sparsify, check);
    }

    /// <summary>Reads a sparsify SAE folder into the untied form.</summary>
    /// <exception cref="InvalidDataException">groupmax activation, a skip connection or a transcoder (not supported), or a broken file; one line naming the file.</exception>
    public static UntiedTopKSae Read(string directory)
    {
        string configPath = Path.Combine(directory, ConfigFileName);
        var fields = InteropJson.ReadObject(configPath);
        string activation = InteropJson.String(fields, "activation", configPath, "topk");
        if (activation != "topk")
            throw new InvalidDataException($"{configPath}: activation '{activation}' is not supported; Mfr runs sparsify 'topk' SAEs only.");
        if (InteropJson.Boolean(fields, "skip_connection", configPath, false))
            throw new InvalidDataException($"{configPath}: skip_connection is true; Mfr cannot run SAEs with a linear skip connection (W_skip).");
        if (InteropJson.Boolean(fields, "transcode", configPath, false))
            throw new InvalidDataException($"{configPath}: transcode is true; a transcoder predicts another module's output, Mfr evaluates autoencoders only.");
        int d = InteropJson.Integer(fields, "d_in", configPath);
        int numLatents = InteropJson.Integer(fields, "num_latents", configPath, fallback: 0);
        int h = numLatents != 0 ? numLatents : d * InteropJson.Integer(fields, "expansion_factor", configPath, fallback: 32); // SparseCoderConfig defaults
        int k = InteropJson.Integer(fields, "k", configPath, fallback: 32);
        string weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"No {WeightsFileName} in {directory}.", weightsPath);
        using var file = SafetensorsFile.Open(weightsPath);
        float[] encoderWeight = InteropJson.Tensor(file, EncoderWeightName, h, d);
        var encoder = new float[(long)d * h];
        for (int j = 0; j < h; j++)
            for (int t = 0; t < d; t++) encoder[(long)t * h + j] = encoderWeight[(long)j * d + t];
        try
        {
            return new UntiedTopKSae(d, h, k, encoder, InteropJson.Tensor(file, "encoder.bias", h), InteropJson.Tensor(file, "W_dec", h, d),
                InteropJson.Tensor(file, "b_dec", d), subtractDecoderBias: true, reluAfterTopK: true);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"{configPath}: {exception.Message}", exception);
        }
    }
}

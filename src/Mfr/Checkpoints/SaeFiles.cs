using System.Text.Json;
using System.Text.Json.Nodes;
using Mfr.Interop;
using Mfr.IO;
using Mfr.Sae;

namespace Mfr.Checkpoints;

/// <summary>
/// Saves and loads one SAE in Mfr's own layout: a folder with <c>cfg.json</c> and <c>sae.safetensors</c>
/// (tensors <c>W_enc [d_in, d_sae]</c>, <c>b_enc [d_sae]</c>, <c>W_dec [d_sae, d_in]</c>, <c>b_dec [d_in]</c>;
/// x^ = z W_dec + b_dec). With tied weights W_enc = W^T and W_dec = D (unit rows); the <c>"mfr"</c> block
/// records what SAELens has no field for (TopK without ReLU, provenance). Checkpoints are saved in this
/// layout; a run's final/ is in SAELens v6 layout (<see cref="FinalSaes"/>), and final/ folders of runs
/// from before that, in this layout, load as they always did: <see cref="Load"/> reads every layout.
/// </summary>
public static class SaeFiles
{
    /// <summary>Name of the config file.</summary>
    public const string ConfigFileName = "cfg.json";

    /// <summary>Name of the weights file.</summary>
    public const string WeightsFileName = "sae.safetensors";

    /// <summary>Writes <paramref name="sae"/> to <paramref name="directory"/> (created if needed); both files are written atomically.</summary>
    /// <param name="sae">The SAE (its decoder must be current).</param>
    /// <param name="directory">Target folder.</param>
    /// <param name="provenance">Extra string facts recorded under "mfr" (seed, data, samples trained...).</param>
    public static void Save(TopKSae sae, string directory, IReadOnlyDictionary<string, string>? provenance = null)
    {
        var config = sae.Config;
        int d = config.InputDim, h = config.LatentCount;
        Directory.CreateDirectory(directory);
        var encoder = new float[(long)d * h];
        ReadOnlySpan<float> weights = sae.Weights;
        for (int j = 0; j < h; j++)
            for (int t = 0; t < d; t++) encoder[(long)t * h + j] = weights[j * d + t];
        var tensors = new List<NamedTensor>
        {
            new("W_enc", [d, h], encoder),
            new("b_enc", [h], sae.Bias.ToArray()),
            new("W_dec", [h, d], sae.Decoder.ToArray()),
            new("b_dec", [d], sae.DecoderBias.ToArray()),
        };
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), BuildConfig(config, provenance).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static JsonObject BuildConfig(SaeConfig config, IReadOnlyDictionary<string, string>? provenance)
    {
        var mfr = new JsonObject
        {
            ["activation"] = config.Activation == SaeActivation.TopK ? "topk" : "topk-relu",
            ["tied_weights"] = true,
            ["use_decoder_bias"] = config.UseDecoderBias,
            ["tool"] = $"mfr {typeof(SaeFiles).Assembly.GetName().Version}",
        };
        foreach (var (key, value) in provenance ?? new Dictionary<string, string>()) mfr[key] = value;
        return new JsonObject
        {
            ["architecture"] = "topk",
            ["d_in"] = config.InputDim,
            ["d_sae"] = config.LatentCount,
            ["activation_fn_str"] = "topk",
            ["activation_fn_kwargs"] = new JsonObject { ["k"] = config.K },
            ["k"] = config.K,
            ["apply_b_dec_to_input"] = config.UseDecoderBias,
            ["normalize_activations"] = "none",
            ["dtype"] = "float32",
            ["device"] = "cpu",
            ["finetuning_scaling_factor"] = false,
            ["mfr"] = mfr,
        };
    }

    /// <summary>Reads the SAE's shape from <c>cfg.json</c>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no cfg.json.</exception>
    /// <exception cref="InvalidDataException">cfg.json is not a JSON object, lacks a field or has one of the wrong type; the message names the file and the field.</exception>
    public static SaeConfig ReadConfig(string directory)
    {
        string path = Path.Combine(directory, ConfigFileName);
        if (!Directory.Exists(directory)) throw new FileNotFoundException($"SAE folder not found: {directory}", directory);
        if (!File.Exists(path)) throw new FileNotFoundException($"No {ConfigFileName} in {directory}: not an SAE folder.", path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {JsonFile.Describe(exception)}", exception);
        }
        if (root is not JsonObject fields) throw new InvalidDataException($"{path} holds {Kind(root)}, expected a JSON object with d_in, d_sae and k.");
        SaeConfig config;
        try
        {
            var kwargs = OptionalObject(fields, "activation_fn_kwargs", path);
            int k = kwargs?["k"] is not null ? Integer(kwargs, "k", path, "activation_fn_kwargs.") : Integer(fields, "k", path);
            var mfr = OptionalObject(fields, "mfr", path);
            string activation = (mfr is null ? null : OptionalString(mfr, "activation", path, "mfr.")) ?? "topk-relu"; // SAELens' TopK applies ReLU
            bool decoderBias = OptionalBoolean(fields, "apply_b_dec_to_input", path) ?? false;
            config = new SaeConfig(Integer(fields, "d_in", path), Integer(fields, "d_sae", path), k, activation == "topk" ? SaeActivation.TopK : SaeActivation.TopKRelu, decoderBias);
        }
        catch (ArgumentException exception)
        {
            // A key that appears twice: System.Text.Json.Nodes reports it when the object is first read.
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
        try
        {
            config.Validate();
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"{path}: {exception.Message}");
        }
        return config;
    }

    private static int Integer(JsonObject node, string name, string path, string prefix = "")
    {
        var value = node[name];
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue(out int result)) return result;
        throw new InvalidDataException($"{path}: field '{prefix}{name}' is {Kind(value)}, expected an integer.");
    }

    private static JsonObject? OptionalObject(JsonObject node, string name, string path)
    {
        var value = node[name];
        return value is null or JsonObject ? (JsonObject?)value : throw new InvalidDataException($"{path}: field '{name}' is {Kind(value)}, expected an object.");
    }

    private static string? OptionalString(JsonObject node, string name, string path, string prefix = "")
    {
        var value = node[name];
        if (value is null) return null;
        return value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw new InvalidDataException($"{path}: field '{prefix}{name}' is {Kind(value)}, expected a string.");
    }

    private static bool? OptionalBoolean(JsonObject node, string name, string path)
    {
        var value = node[name];
        if (value is null) return null;
        return value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"{path}: field '{name}' is {Kind(value)}, expected true or false."),
        };
    }

    private static string Kind(JsonNode? node) => node is null ? "missing or null" : node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {node.ToJsonString()}",
        JsonValueKind.Number => $"the number {node.ToJsonString()}",
        _ => node.ToJsonString(),
    };

    /// <summary>
    /// Loads an SAE saved by <see cref="Save"/>, or a tied SAELens v6 / sparsify TopK SAE (see <see cref="SaeImport"/>), which
    /// includes a run's final/ (<see cref="FinalSaes"/>): its "mfr" block restores the activation, so it loads bit-identical.
    /// </summary>
    /// <exception cref="InvalidDataException">A broken cfg.json or weights file, a tensor of the wrong shape, or a non-finite weight; the message names the file and the tensor.</exception>
    public static TopKSae Load(string directory)
    {
        // SAELens v6 and sparsify folders load too (issue 15 item 5), as long as they are tied.
        if (SaeImport.IsForeign(directory)) return SaeImport.Read(directory).ToTopKSae(directory);
        var config = ReadConfig(directory);
        string weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"No {WeightsFileName} in {directory}.", weightsPath);
        using var file = SafetensorsFile.Open(weightsPath);
        int d = config.InputDim, h = config.LatentCount;
        float[] encoder = ReadChecked(file, "W_enc", [d, h]);
        var sae = new TopKSae(config);
        var weights = sae.Weights;
        for (int j = 0; j < h; j++)
            for (int t = 0; t < d; t++) weights[j * d + t] = encoder[(long)t * h + j];
        ReadChecked(file, "b_enc", [h]).CopyTo(sae.Bias);
        if (file.Contains("b_dec")) ReadChecked(file, "b_dec", [d]).CopyTo(sae.DecoderBias);
        sae.RefreshDecoder();
        if (file.Contains("W_dec")) CheckTied(ReadChecked(file, "W_dec", [h, d]), sae.Decoder, weightsPath);
        return sae;
    }

    private static float[] ReadChecked(SafetensorsFile file, string name, long[] shape)
    {
        if (!file.Contains(name)) throw new InvalidDataException($"{file.Path} has no tensor '{name}'.");
        var info = file.GetInfo(name);
        if (!info.Shape.SequenceEqual(shape))
            throw new InvalidDataException($"{file.Path}: tensor '{name}' has shape [{string.Join(",", info.Shape)}], cfg.json implies [{string.Join(",", shape)}].");
        float[] values = file.ReadFloat32(name);
        // Weights with NaN would load and evaluate to NaN metrics without a word (issue 13, class 2).
        if (ElementConversion.IndexOfNonFinite(values) is int index and >= 0)
            throw new InvalidDataException($"{file.Path}: tensor '{name}' holds a non-finite value ({values[index]}) at element {index}; the SAE is broken (a diverged run?).");
        return values;
    }

    // Our model derives the decoder from W; an untied SAE would silently decode differently.
    private static void CheckTied(float[] storedDecoder, ReadOnlySpan<float> derivedDecoder, string path)
    {
        double worst = 0;
        for (int i = 0; i < storedDecoder.Length; i++) worst = Math.Max(worst, Math.Abs(storedDecoder[i] - derivedDecoder[i]));
        if (worst > 1e-3)
            throw new InvalidDataException($"{path}: W_dec is not the row-normalised transpose of W_enc (max difference {worst:G3}); only tied-weight SAEs can be loaded.");
    }
}

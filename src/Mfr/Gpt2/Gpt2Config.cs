using System.Globalization;
using System.Text.Json;
using Mfr.IO;

namespace Mfr.Gpt2;

/// <summary>
/// Shape of a GPT-2 model (Hugging Face <c>GPT2Config</c> names in brackets). The defaults are GPT-2
/// Small (124M parameters). Only the standard GPT-2 math is supported: pre-LayerNorm blocks,
/// <c>gelu_new</c> (tanh GELU), attention scaled by <c>1/sqrt(headDim)</c>, tied unembedding.
/// </summary>
public sealed record Gpt2Config
{
    /// <summary>Token ids <c>[0, VocabularySize)</c> (<c>vocab_size</c>, 50257).</summary>
    public int VocabularySize { get; init; } = 50257;

    /// <summary>Maximum sequence length, rows of the position embedding (<c>n_positions</c>, 1024).</summary>
    public int ContextLength { get; init; } = 1024;

    /// <summary>Residual stream width C (<c>n_embd</c>, 768).</summary>
    public int EmbeddingDim { get; init; } = 768;

    /// <summary>Transformer blocks (<c>n_layer</c>, 12).</summary>
    public int LayerCount { get; init; } = 12;

    /// <summary>Attention heads per block (<c>n_head</c>, 12); must divide <see cref="EmbeddingDim"/>.</summary>
    public int HeadCount { get; init; } = 12;

    /// <summary>LayerNorm epsilon (<c>layer_norm_epsilon</c>, 1e-5).</summary>
    public float LayerNormEpsilon { get; init; } = 1e-5f;

    /// <summary>Width of one attention head, <c>EmbeddingDim / HeadCount</c> (64 for GPT-2).</summary>
    public int HeadDim => EmbeddingDim / HeadCount;

    /// <summary>Width of the MLP hidden layer, <c>4 * EmbeddingDim</c> (GPT-2's <c>n_inner</c> default).</summary>
    public int MlpDim => 4 * EmbeddingDim;

    /// <summary>GPT-2 Small: 12 layers, width 768, 12 heads, vocabulary 50257, context 1024.</summary>
    public static Gpt2Config Small { get; } = new();

    /// <summary>Checks every field; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        static void Positive(int value, string name)
        {
            if (value <= 0) throw new ArgumentException($"GPT-2 config: {name} must be positive, got {value}.");
        }
        // Named by config.json's keys (Hugging Face), the file a user can read and fix.
        Positive(VocabularySize, "vocab_size");
        Positive(ContextLength, "n_positions");
        Positive(EmbeddingDim, "n_embd");
        Positive(LayerCount, "n_layer");
        Positive(HeadCount, "n_head");
        if (EmbeddingDim % HeadCount != 0)
            throw new ArgumentException($"GPT-2 config: n_head {HeadCount} does not divide n_embd {EmbeddingDim}.");
        if (!(LayerNormEpsilon > 0) || !float.IsFinite(LayerNormEpsilon))
            throw new ArgumentException($"GPT-2 config: layer_norm_epsilon must be positive and finite, got {LayerNormEpsilon}.");
    }

    /// <summary>
    /// Reads a Hugging Face <c>config.json</c>: <c>vocab_size</c>, <c>n_positions</c> (or the older
    /// <c>n_ctx</c>), <c>n_embd</c>, <c>n_layer</c>, <c>n_head</c>, <c>layer_norm_epsilon</c>; a missing key
    /// keeps the GPT-2 Small default. Options that change the math are rejected.
    /// </summary>
    /// <param name="path">The config.json file.</param>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">Not JSON, a bad value, or an unsupported option (named in the message).</exception>
    public static Gpt2Config Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GPT-2 config file not found: {path}", path);
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: expected a JSON object.");
            var defaults = new Gpt2Config();
            int Integer(string key, int fallback) =>
                !root.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null ? fallback
                : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number
                : throw new InvalidDataException($"{path}: \"{key}\" must be an integer, got {value.GetRawText()}.");
            RejectUnsupported(root, path);
            var config = new Gpt2Config
            {
                VocabularySize = Integer("vocab_size", defaults.VocabularySize),
                ContextLength = Integer("n_positions", Integer("n_ctx", defaults.ContextLength)),
                EmbeddingDim = Integer("n_embd", defaults.EmbeddingDim),
                LayerCount = Integer("n_layer", defaults.LayerCount),
                HeadCount = Integer("n_head", defaults.HeadCount),
                LayerNormEpsilon = !root.TryGetProperty("layer_norm_epsilon", out var epsilon) || epsilon.ValueKind == JsonValueKind.Null ? defaults.LayerNormEpsilon
                    : epsilon.ValueKind == JsonValueKind.Number ? (float)epsilon.GetDouble()
                    : throw new InvalidDataException($"{path}: \"layer_norm_epsilon\" must be a number, got {epsilon.GetRawText()}."),
            };
            try
            {
                config.Validate();
            }
            catch (ArgumentException exception)
            {
                throw new InvalidDataException($"{path}: {exception.Message}", exception);
            }
            return config;
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({JsonFile.Describe(exception)}).", exception);
        }
    }

    // Hugging Face GPT2Config options whose non-default values change the forward pass.
    private static void RejectUnsupported(JsonElement root, string path)
    {
        if (root.TryGetProperty("activation_function", out var activation) && activation.ValueKind == JsonValueKind.String
            && activation.GetString() is not ("gelu_new" or "gelu_pytorch_tanh"))
            throw new InvalidDataException($"{path}: activation_function \"{activation.GetString()}\" is not supported (only gelu_new).");
        if (root.TryGetProperty("n_inner", out var inner) && inner.ValueKind == JsonValueKind.Number
            && root.TryGetProperty("n_embd", out var width) && width.ValueKind == JsonValueKind.Number
            && inner.GetInt32() != 4 * width.GetInt32())
            throw new InvalidDataException($"{path}: n_inner {inner.GetInt32()} is not supported (only 4 * n_embd).");
        if (root.TryGetProperty("scale_attn_weights", out var scale) && scale.ValueKind == JsonValueKind.False)
            throw new InvalidDataException($"{path}: scale_attn_weights false is not supported.");
        if (root.TryGetProperty("scale_attn_by_inverse_layer_idx", out var inverse) && inverse.ValueKind == JsonValueKind.True)
            throw new InvalidDataException($"{path}: scale_attn_by_inverse_layer_idx true is not supported.");
    }

    /// <summary>Writes this config as a Hugging Face style <c>config.json</c> (GPT-2 keys only).</summary>
    /// <param name="path">Target file; replaced if it exists.</param>
    public void Save(string path)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("model_type", "gpt2");
        json.WriteStartArray("architectures");
        json.WriteStringValue("GPT2LMHeadModel");
        json.WriteEndArray();
        json.WriteString("activation_function", "gelu_new");
        json.WriteNumber("vocab_size", VocabularySize);
        json.WriteNumber("n_positions", ContextLength);
        json.WriteNumber("n_ctx", ContextLength);
        json.WriteNumber("n_embd", EmbeddingDim);
        json.WriteNumber("n_layer", LayerCount);
        json.WriteNumber("n_head", HeadCount);
        // Through the shortest decimal string, so 1e-5f is written as 1E-05 and not 9.99999974737875E-06.
        json.WriteNumber("layer_norm_epsilon", double.Parse(LayerNormEpsilon.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }
}

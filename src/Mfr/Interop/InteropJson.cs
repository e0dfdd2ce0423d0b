using System.Text.Json;
using System.Text.Json.Nodes;
using Mfr.IO;

namespace Mfr.Interop;

/// <summary>Reads another library's cfg.json field by field, each failure one line naming the file and the field (issue 13).</summary>
internal static class InteropJson
{
    // Relaxed escaping: the notes in cfg.json are read by people ("Mfr's", not "Mfr\u0027s").
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No {Path.GetFileName(path)} in {Path.GetDirectoryName(path)}: not an SAE folder.", path);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path} does not hold a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {JsonFile.Describe(exception)}", exception);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
    }

    public static int Integer(JsonObject node, string name, string path, int? fallback = null)
    {
        var value = node[name];
        if (value is null && fallback is int result) return result;
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue(out int parsed)) return parsed;
        throw new InvalidDataException($"{path}: field '{name}' is {Describe(value)}, expected an integer.");
    }

    public static bool Boolean(JsonObject node, string name, string path, bool fallback)
    {
        var value = node[name];
        if (value is null) return fallback;
        return value.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"{path}: field '{name}' is {Describe(value)}, expected true or false."),
        };
    }

    public static string String(JsonObject node, string name, string path, string fallback)
    {
        var value = node[name];
        if (value is null) return fallback;
        return value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw new InvalidDataException($"{path}: field '{name}' is {Describe(value)}, expected a string.");
    }

    private static string Describe(JsonNode? node) => node is null ? "missing or null" : $"{node.ToJsonString()}";

    /// <summary>Reads a float32 tensor of the given shape; the message names the file and the tensor.</summary>
    public static float[] Tensor(SafetensorsFile file, string name, params long[] shape)
    {
        if (!file.Contains(name)) throw new InvalidDataException($"{file.Path} has no tensor '{name}' (it holds {string.Join(", ", file.TensorNames)}).");
        var info = file.GetInfo(name);
        if (!info.Shape.SequenceEqual(shape))
            throw new InvalidDataException($"{file.Path}: tensor '{name}' has shape [{string.Join(",", info.Shape)}], cfg.json implies [{string.Join(",", shape)}].");
        float[] values = file.ReadFloat32(name);
        if (ElementConversion.IndexOfNonFinite(values) is int index and >= 0)
            throw new InvalidDataException($"{file.Path}: tensor '{name}' holds a non-finite value ({values[index]}) at element {index}.");
        return values;
    }
}

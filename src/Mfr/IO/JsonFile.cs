using System.Text.Json;

namespace Mfr.IO;

/// <summary>
/// Reads the JSON files Mfr writes (run.json, trainer_state.json, results.json, evaluation.json,
/// cfg.json, config files) so that every failure is one line naming the file and, where the
/// serializer knows it, the field: a user must never see a serializer stack trace for a file
/// they can edit or damage (issue 13, class 6 and 8).
/// </summary>
public static class JsonFile
{
    /// <summary>Deserializes <paramref name="path"/> as <typeparamref name="T"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">Serializer settings (usually <c>MetricLog.JsonOptions</c>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, is not JSON, or a field has the wrong type; the message names the file and the field.</exception>
    public static T Read<T>(string path, JsonSerializerOptions options) where T : class
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        string text = File.ReadAllText(path);
        if (string.IsNullOrWhiteSpace(text)) throw new InvalidDataException($"{path} is empty.");
        return Parse<T>(text, path, options);
    }

    /// <summary>Deserializes <paramref name="text"/>, read from <paramref name="path"/>, as <typeparamref name="T"/>; failures name <paramref name="path"/>.</summary>
    public static T Parse<T>(string text, string path, JsonSerializerOptions options) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, options) ?? throw new InvalidDataException($"{path} holds null, expected a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: {Describe(exception)}", exception);
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
    }

    /// <summary>The serializer's complaint without its .NET furniture: the JSON path of the field and the line.</summary>
    internal static string Describe(JsonException exception)
    {
        string field = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "" : $"field '{exception.Path.TrimStart('$', '.')}'";
        string line = exception.LineNumber is long number ? $"line {number + 1}" : "";
        string where = string.Join(", ", new[] { field, line }.Where(s => s.Length > 0));
        string reason = exception.Message;
        int cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) reason = reason[..cut];
        if (exception.InnerException is { } inner && reason.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            reason = "value of the wrong type";
        else if (exception.InnerException is { } innerCause)
            reason = innerCause.Message;
        return where.Length > 0 ? $"{where}: {reason}" : reason;
    }
}

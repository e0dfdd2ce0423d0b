using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mfr.IO;

/// <summary>
/// Reads the JSON files Mfr writes (run.json, trainer_state.json, results.json, evaluation.json,
/// cfg.json, config files) so that every failure is one line naming the file and, where the
/// serializer knows it, the field: a user must never see a serializer stack trace for a file
/// they can edit or damage (issue 13, class 6 and 8).
/// </summary>
public static partial class JsonFile
{
    /// <summary>Deserializes <paramref name="path"/> as <typeparamref name="T"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="options">Serializer settings (usually <c>MetricLog.JsonOptions</c>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, is not JSON, or a field has the wrong type; the message names the file and the field.</exception>
    public static T Read<T>(string path, JsonSerializerOptions options) where T : class
    {
        if (Directory.Exists(path)) throw new FileNotFoundException($"{path} is a folder, not a file.", path);
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
            throw new InvalidDataException($"{path}: {Describe(exception, typeof(T))}", exception);
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
    }

    /// <summary>The serializer's complaint without its .NET furniture: the JSON path of the field, the line, and the reason in the file's terms (no .NET type names).</summary>
    /// <param name="exception">The serializer's exception.</param>
    /// <param name="target">The type being read, to say what a field of the wrong type should hold (the serializer names its parent).</param>
    /// <param name="withLine">Whether to give the line within the parsed text (not when it is one line of a larger file the caller names).</param>
    internal static string Describe(JsonException exception, Type? target = null, bool withLine = true)
    {
        string field = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "" : $"field '{exception.Path.TrimStart('$', '.')}'";
        string line = withLine && exception.LineNumber is long number ? $"line {number + 1}" : "";
        string where = string.Join(", ", new[] { field, line }.Where(s => s.Length > 0));
        string reason = exception.Message;
        int cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) reason = reason[..cut];
        if (reason.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            Type? expected = target is null ? null : FieldType(target, exception.Path ?? "$");
            string what = expected is null ? "" : Expected(expected);
            reason = field.Length == 0 ? $"the top-level value is not {(what.Length > 0 ? what : "what was expected")}"
                : what.Length > 0 ? $"value of the wrong type, expected {what}" : "value of the wrong type";
        }
        else if (Regex.Match(reason, @"missing required properties including: (?<names>.*?)\.?$") is { Success: true } missing)
        {
            reason = $"missing required field(s) {missing.Groups["names"].Value}";
        }
        else if (Regex.Match(reason, @"(?:property or field|constructor parameter) '(?<name>[^']+)' on type '[^']+' doesn't allow (?:setting |getting )?null values") is { Success: true } nullValue)
        {
            reason = $"'{JsonNamingPolicy.CamelCase.ConvertName(nullValue.Groups["name"].Value)}' must not be null";
        }
        else if (exception.InnerException is { } innerCause)
        {
            reason = innerCause.Message;
        }
        // The reader's position in its own terms (0-based, bytes) repeats the line already given; drop it.
        reason = ReaderPosition().Replace(reason, "");
        // The reader's words for a cut file name its internals ("depth", "isFinalBlock"); say what the file shows.
        if (reason.Contains("Expected depth to be zero at the end of the JSON payload", StringComparison.Ordinal))
            reason = "the JSON ends inside an object or array (a cut file?)";
        else if (reason.Contains("isFinalBlock", StringComparison.Ordinal))
            reason = "the text ends before its JSON value does (an empty or cut file?)";
        return where.Length > 0 ? $"{where}: {reason}" : reason;
    }

    /// <summary>The .NET type at JSON path <paramref name="jsonPath"/> ("$.training.batchSize", "$.saes[0].k") of <paramref name="root"/>, or null.</summary>
    private static Type? FieldType(Type root, string jsonPath)
    {
        Type type = root;
        foreach (string segment in jsonPath.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            int bracket = segment.IndexOf('[', StringComparison.Ordinal);
            string name = bracket >= 0 ? segment[..bracket] : segment;
            if (name.Length > 0)
            {
                var property = type.GetProperty(name, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
                if (property is null) return null;
                type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            }
            for (int index = bracket; index >= 0; index = segment.IndexOf('[', index + 1))
            {
                if (ElementType(type) is not Type element) return null;
                type = Nullable.GetUnderlyingType(element) ?? element;
            }
        }
        return type;
    }

    private static Type? ElementType(Type type) => type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>What a .NET type is in JSON terms.</summary>
    private static string Expected(Type type) => type switch
    {
        _ when type == typeof(string) => "a string",
        _ when type == typeof(bool) => "true or false",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type).Select(name => $"\"{JsonNamingPolicy.KebabCaseLower.ConvertName(name)}\"")),
        _ when type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong) || type == typeof(short) || type == typeof(byte) => "an integer",
        _ when type == typeof(float) || type == typeof(double) || type == typeof(decimal) => "a number",
        _ when ElementType(type) is not null => "a list",
        _ when type.IsClass => "an object",
        _ => "",
    };

    [GeneratedRegex(@"\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex ReaderPosition();
}

using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Mfr.IO;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// Reads and writes the JSON config files of `mfr COMMAND --config FILE` / `--print-config`: the command's
/// config record (<see cref="TrainExperimentConfig"/>, <see cref="SyntheticExperimentConfig"/>, ...) in the
/// same camelCase form as run.json and results.json. Reading is strict (issue 12 item 6, issue 13 class 2):
/// an unknown key or a missing required one is refused with one line naming the file and the key, since a
/// misspelt key silently taking its default would run something other than what the file says.
/// </summary>
public static partial class ConfigFile
{
    /// <summary>Serializer settings of config files: <see cref="MetricLog.JsonOptions"/>, indented, unknown keys and missing required keys refused.</summary>
    public static JsonSerializerOptions Options { get; } = new(MetricLog.JsonOptions)
    {
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>The config in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="ArgumentException">
    /// Anything wrong inside the file: an unknown or missing key, a value of the wrong kind, text that is not JSON. Each is
    /// a bad setting, a usage error (exit code 2) like a misspelt flag, in one line naming the file and the key.
    /// </exception>
    public static T Read<T>(string path) where T : class
    {
        try
        {
            return JsonFile.Read<T>(path, Options);
        }
        catch (InvalidDataException exception) when (exception.InnerException is JsonException json && Rephrase(json) is string reason)
        {
            throw new ArgumentException($"{path}: {reason}", exception);
        }
        catch (InvalidDataException exception)
        {
            // Already one line naming the file and the field (JsonFile); a setting, not data, so a usage error.
            throw new ArgumentException(exception.Message, exception);
        }
    }

    /// <summary>
    /// <paramref name="config"/> as a config file's text. Derived values (get-only properties such as a training's
    /// stepCount or adam settings) are left out: they are not settings, and a reader editing them would change nothing.
    /// Reading accepts and ignores them, so a run.json, which has them, stays a valid config.
    /// </summary>
    public static string Write<T>(T config) where T : class => JsonSerializer.Serialize(config, WriteOptions);

    private static JsonSerializerOptions WriteOptions { get; } = new(MetricLog.JsonOptions)
    {
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitDerivedValues } },
    };

    private static void OmitDerivedValues(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (int i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Set is null && info.Properties[i].AssociatedParameter is null) info.Properties.RemoveAt(i);
        }
    }

    // The serializer names .NET types; the user knows keys.
    private static string? Rephrase(JsonException exception)
    {
        string where = (exception.Path ?? "$").TrimStart('$').TrimStart('.');
        if (exception.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
            return $"unknown key '{where}' (mfr COMMAND --print-config shows the keys)";
        var missing = MissingKeys().Match(exception.Message);
        if (missing.Success)
        {
            string prefix = where.Length > 0 ? where + "." : "";
            var keys = MissingKey().Matches(missing.Groups[1].Value).Select(m => $"'{prefix}{m.Groups[1].Value}'");
            return $"missing required key {string.Join(", ", keys)} (mfr COMMAND --print-config shows a complete file)";
        }
        return null;
    }

    [GeneratedRegex("missing required properties including: (.*)$")]
    private static partial Regex MissingKeys();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex MissingKey();
}

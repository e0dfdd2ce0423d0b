using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mfr.Training;

/// <summary>
/// The per-step metrics log, JSON lines (metrics.jsonl): one object per step
/// (<c>{"type":"step","step":1,...}</c>, fields of <see cref="StepMetrics"/>), one per
/// re-initialisation (<c>{"type":"reinit",...}</c>) and one per periodic evaluation
/// (<c>{"type":"recovery","step":20,...}</c>, see <see cref="IPeriodicEvaluator"/>). Every line has a
/// "step"; readers select lines by "type" and skip the others, so logs written before a type existed
/// still read. Each line is flushed as written, so an interrupted run loses at most the line being
/// written; on resume, lines past the checkpoint are dropped so the log never holds a step twice.
/// </summary>
public sealed class MetricLog : IDisposable
{
    /// <summary>Serializer settings shared by everything Mfr writes as JSON (NaN allowed, camelCase).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = false,
    };

    private readonly StreamWriter writer;

    /// <summary>Opens <paramref name="path"/> for appending, first dropping lines of steps after <paramref name="keepThroughStep"/> (0 starts a new log).</summary>
    public MetricLog(string path, long keepThroughStep)
    {
        Path = path;
        if (keepThroughStep == 0 || !File.Exists(path))
        {
            File.WriteAllText(path, "");
        }
        else
        {
            var kept = File.ReadLines(path).Where(line => StepOf(line) is long step && step <= keepThroughStep).ToList();
            IO.AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
        }
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = false };
    }

    /// <summary>File written.</summary>
    public string Path { get; }

    /// <summary>Appends a step line.</summary>
    public void Write(StepMetrics metrics) => WriteLine("step", metrics);

    /// <summary>Appends a re-initialisation line.</summary>
    public void Write(ReinitializationEvent reinitialization) => WriteLine("reinit", reinitialization);

    /// <summary>Appends a line of type <paramref name="type"/> after step <paramref name="step"/> (a periodic evaluation).</summary>
    /// <param name="type">Line type; "step" and "reinit" are reserved.</param>
    /// <param name="step">Steps completed; written as the line's "step" (resume truncates by it).</param>
    /// <param name="record">Serialised with <see cref="JsonOptions"/>; a "step" property of its own is replaced.</param>
    public void Write(string type, long step, object record)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        if (type is "step" or "reinit") throw new ArgumentException($"Line type '{type}' is reserved for the trainer's own lines.");
        var node = JsonSerializer.SerializeToNode(record, record.GetType(), JsonOptions)!.AsObject();
        node.Remove("step");
        node.Insert(0, "step", step);
        WriteNode(type, node);
    }

    private void WriteLine<T>(string type, T record) => WriteNode(type, JsonSerializer.SerializeToNode(record, JsonOptions)!.AsObject());

    private void WriteNode(string type, System.Text.Json.Nodes.JsonObject node)
    {
        node.Insert(0, "type", type);
        writer.Write(node.ToJsonString(JsonOptions));
        writer.Write('\n');
        writer.Flush();
    }

    /// <summary>Reads every step line of a log.</summary>
    public static IEnumerable<StepMetrics> ReadSteps(string path) => Read<StepMetrics>(path, "step");

    /// <summary>Reads every re-initialisation line of a log.</summary>
    public static IEnumerable<ReinitializationEvent> ReadReinitializations(string path) => Read<ReinitializationEvent>(path, "reinit");

    /// <summary>Reads every line of type <paramref name="type"/> as a <typeparamref name="T"/> (none in a log that has no such lines).</summary>
    public static IEnumerable<T> Read<T>(string path, string type) =>
        ReadLines(path, type).Select(element => element.Deserialize<T>(JsonOptions)!);

    private static IEnumerable<JsonElement> ReadLines(string path, string type)
    {
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement element;
            try
            {
                element = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                continue; // a line cut by an interruption
            }
            if (element.TryGetProperty("type", out var kind) && kind.GetString() == type) yield return element;
        }
    }

    private static long? StepOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("step", out var step) ? step.GetInt64() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => writer.Dispose();
}

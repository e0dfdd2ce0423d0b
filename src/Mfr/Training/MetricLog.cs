using System.Text.Json;
using System.Text.Json.Serialization;
using Mfr.IO;

namespace Mfr.Training;

/// <summary>
/// The per-step metrics log, JSON lines (metrics.jsonl): one object per step
/// (<c>{"type":"step","step":1,...}</c>, fields of <see cref="StepMetrics"/>), one per
/// re-initialisation (<c>{"type":"reinit",...}</c>) and one per periodic evaluation
/// (<c>{"type":"recovery","step":20,...}</c>, see <see cref="IPeriodicEvaluator"/>). Every line has a
/// "step"; readers select lines by "type" and skip the others, so logs written before a type existed
/// still read. Each line is flushed as written, so an interrupted run loses at most the line being
/// written.
/// <para>
/// The log is append-only: it is never rewritten, and a line once written stays as written. A resumed
/// run must not log a step twice, so opening it drops the lines past the step resumed from (steps the run
/// will do again), by cutting the file after the last line of that step or before: the lines kept are
/// not touched (issue 13: a rewrite from a wrong resume point once turned 6,601 lines into 2,308).
/// </para>
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

    /// <summary>
    /// <see cref="JsonOptions"/> for reading back what Mfr wrote: a missing field or a null where none may be is the file's
    /// damage, reported naming the file and the field, not a NullReferenceException later (issue 13, class 6).
    /// </summary>
    public static JsonSerializerOptions StrictReadOptions { get; } = new(JsonOptions) { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };

    private readonly FileStream stream;
    private readonly StreamWriter writer;

    /// <summary>
    /// Opens <paramref name="path"/> (created when missing) for appending, first dropping the lines past step
    /// <paramref name="keepThroughStep"/>: the file is cut after the last line whose step is at most
    /// <paramref name="keepThroughStep"/> (every line after it has a later step, or is a line cut by an interruption).
    /// </summary>
    /// <param name="path">The log.</param>
    /// <param name="keepThroughStep">The step the run continues from (0 for a run starting from its initialisation).</param>
    public MetricLog(string path, long keepThroughStep)
    {
        Path = path;
        stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            long originalLength = stream.Length;
            var (end, lastStep, dropped, endsWithNewline) = ScanForCut(stream, keepThroughStep);
            LastStep = lastStep;
            DroppedLineCount = dropped;
            if (end < originalLength)
            {
                stream.SetLength(end);
                stream.Flush(flushToDisk: true);
            }
            stream.Seek(0, SeekOrigin.End);
            // A kept last line without its newline (killed between the two writes) gets one, so appends start a line.
            if (end > 0 && !endsWithNewline) stream.WriteByte((byte)'\n');
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        writer = new StreamWriter(stream) { AutoFlush = false };
    }

    /// <summary>Step of the last line kept when the log was opened; null when it was opened empty.</summary>
    public long? LastStep { get; }

    /// <summary>Lines dropped when the log was opened because their step was past the step the run continues from.</summary>
    public int DroppedLineCount { get; }

    /// <summary>File written.</summary>
    public string Path { get; }

    /// <summary>
    /// Forces the lines written so far to disk (each line is only flushed to the OS as written, which a process kill
    /// cannot lose but a power cut can). Called before each checkpoint, so a checkpoint never runs ahead of its log.
    /// </summary>
    public void FlushToDisk()
    {
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }

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
    /// <exception cref="InvalidDataException">A line of that type lacks a field or has one of the wrong type; the message names the file, the line and the field.</exception>
    public static IEnumerable<T> Read<T>(string path, string type)
    {
        foreach (var (element, lineNumber) in ReadLines(path, type))
        {
            T? record;
            try
            {
                record = element.Deserialize<T>(StrictReadOptions);
            }
            catch (JsonException error)
            {
                throw new InvalidDataException($"{path} line {lineNumber}: {JsonFile.Describe(error, typeof(T), withLine: false)}", error);
            }
            yield return record ?? throw new InvalidDataException($"{path} line {lineNumber}: null, expected a {type} record.");
        }
    }

    private static IEnumerable<(JsonElement Element, long LineNumber)> ReadLines(string path, string type)
    {
        long lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
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
            // Every line Mfr writes is an object with a string "type"; anything else is no line of this log's kinds.
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var kind) && kind.ValueKind == JsonValueKind.String
                && kind.GetString() == type)
                yield return (element, lineNumber);
        }
    }

    /// <summary>
    /// Finds where the lines to keep end: after the last line whose step is at most <paramref name="keepThroughStep"/>.
    /// Reads the file once, line by line, without holding it in memory.
    /// </summary>
    private static (long End, long? LastStep, int Dropped, bool EndsWithNewline) ScanForCut(FileStream stream, long keepThroughStep)
    {
        long end = 0, position = 0;
        long? lastStep = null;
        int linesAfterEnd = 0;
        bool endsWithNewline = true;
        var line = new List<byte>(1024);
        var buffer = new byte[1 << 16];
        stream.Position = 0;
        void Finish(bool hasNewline)
        {
            long lineEnd = position;
            if (StepOf(System.Text.Encoding.UTF8.GetString(line.ToArray())) is long step && step <= keepThroughStep)
            {
                end = lineEnd;
                lastStep = step;
                linesAfterEnd = 0;
                endsWithNewline = hasNewline;
            }
            else if (line.Exists(b => b is not ((byte)' ' or (byte)'\t' or (byte)'\r')))
            {
                linesAfterEnd++;
            }
            line.Clear();
        }
        for (int read; (read = stream.Read(buffer)) > 0;)
        {
            for (int i = 0; i < read; i++)
            {
                position++;
                if (buffer[i] == (byte)'\n') Finish(hasNewline: true);
                else line.Add(buffer[i]);
            }
        }
        if (line.Count > 0) Finish(hasNewline: false);
        return (end, lastStep, linesAfterEnd, endsWithNewline);
    }

    private static long? StepOf(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("step", out var step) && step.TryGetInt64(out long value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => writer.Dispose();
}

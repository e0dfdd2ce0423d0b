using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mfr.IO;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// The one owner of an experiment folder's layout (issue 12, item 3): the default folder name
/// (<c>runs/NAME-yyyyMMdd-HHmmss</c>), the sub-folders of the runs an experiment is made of (seed and variant
/// folders, the sweep's baseline and MFR ensembles, the prepared data) and <c>results.json</c>, written and read
/// as typed records with a <c>kind</c> and a <c>schemaVersion</c> so a reader never guesses the type from its
/// properties.
/// </summary>
public static class ExperimentFolder
{
    /// <summary>File name of an experiment's results.</summary>
    public const string ResultsFileName = "results.json";

    /// <summary>
    /// Version of the results.json layout. 1: the result record's properties plus <c>kind</c> and
    /// <c>schemaVersion</c> (files written before had neither).
    /// </summary>
    public const int SchemaVersion = 1;

    /// <summary>Folder, under the working directory, of the runs made without <c>--out</c>.</summary>
    public const string RunsFolder = "runs";

    /// <summary>Sub-folder of a sweep's baseline ensemble (independent SAEs, one per k).</summary>
    public const string BaselineRun = "baseline";

    /// <summary>Sub-folder of a sweep's coupled (MFR) ensemble.</summary>
    public const string CoupledRun = "mfr";

    /// <summary>Sub-folder of data an experiment prepares (EEG cache, GPT-2 activations).</summary>
    public const string DataFolder = "data";

    /// <summary>Suffix of a synthetic variant's independent replicate run (cross-run consistency).</summary>
    public const string ReplicateSuffix = "-replicate";

    /// <summary>Result type of each <c>kind</c>.</summary>
    private static readonly IReadOnlyDictionary<string, Type> Kinds = new Dictionary<string, Type>
    {
        ["synthetic"] = typeof(SyntheticExperimentResult),
        ["sweep"] = typeof(KSweepResult),
        ["eeg"] = typeof(EegExperimentResult),
        ["gpt2"] = typeof(Gpt2ExperimentResult),
        ["consistency"] = typeof(ConsistencyExperimentResult),
    };

    /// <summary>The folder a command called <paramref name="name"/> writes to without <c>--out</c>: <c>runs/NAME-yyyyMMdd-HHmmss</c>, absolute.</summary>
    public static string DefaultPath(string name, DateTime? now = null) =>
        Path.GetFullPath(Path.Combine(RunsFolder, $"{name}-{(now ?? DateTime.Now).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}"));

    /// <summary>Path of results.json in <paramref name="folder"/>.</summary>
    public static string ResultsPath(string folder) => Path.Combine(folder, ResultsFileName);

    /// <summary>
    /// Takes <paramref name="folder"/> for an experiment (its one writer, <see cref="RunFolderLock"/>), refusing a training
    /// run's folder: an experiment would add its runs and results.json beside the run's files, as `mfr train` refuses a
    /// folder that already holds a run.
    /// </summary>
    /// <exception cref="ArgumentException">The folder holds a training run (run.json).</exception>
    internal static RunFolderLock Lock(string folder)
    {
        if (File.Exists(Path.Combine(folder, TrainingRun.SpecificationFileName)))
            throw new ArgumentException($"{folder} holds a training run ({TrainingRun.SpecificationFileName}), not an experiment; choose another --out.");
        return RunFolderLock.Acquire(folder);
    }

    /// <summary>The folder of one repetition (seed) of the synthetic experiment.</summary>
    public static string SeedFolder(string folder, ulong seed) => Path.Combine(folder, $"seed-{seed}");

    /// <summary>Folder name of a variant: "mfr beta=auto" -> "mfr-beta-auto".</summary>
    public static string VariantFolderName(string variant) => variant.Replace(' ', '-').Replace('=', '-');

    /// <summary>The label of a variant folder in figures: "baseline", "mfr-beta-auto", "penalty-beta-0.1", "mean-max-beta-0.1" -> "baseline", "MFR β=auto", "penalty β=0.1", "mean-max β=0.1".</summary>
    public static string VariantLabel(string variantFolder)
    {
        string name = Path.GetFileName(variantFolder);
        foreach (var (prefix, label) in new[] { ("mfr-beta-", "MFR"), ("penalty-beta-", "penalty"), ("mean-max-beta-", "mean-max") })
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return $"{label} β={name[prefix.Length..]}";
        }
        return name;
    }

    /// <summary>The <c>kind</c> results.json records for <paramref name="resultType"/>.</summary>
    /// <exception cref="ArgumentException">The type is not an experiment result.</exception>
    public static string KindOf(Type resultType) =>
        Kinds.FirstOrDefault(pair => pair.Value == resultType).Key ?? throw new ArgumentException($"{resultType.Name} is not an experiment result type.");

    /// <summary>Writes <paramref name="result"/> as <paramref name="folder"/>/results.json (atomically), with its kind and the schema version first.</summary>
    public static void WriteResults(string folder, object result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var node = JsonSerializer.SerializeToNode(result, result.GetType(), IndentedOptions)!.AsObject();
        node.Insert(0, "kind", KindOf(result.GetType()));
        node.Insert(1, "schemaVersion", SchemaVersion);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(ResultsPath(folder), node.ToJsonString(IndentedOptions) + "\n");
    }

    /// <summary>
    /// The results of the experiment in <paramref name="folder"/> as their typed record (<see cref="SyntheticExperimentResult"/>,
    /// <see cref="KSweepResult"/>, <see cref="EegExperimentResult"/>, <see cref="Gpt2ExperimentResult"/> or <see cref="ConsistencyExperimentResult"/>), or null when it has none.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not JSON, has no or an unknown kind, or a newer schema; the message names the file.</exception>
    public static object? ReadResults(string folder)
    {
        string path = ResultsPath(folder);
        if (!File.Exists(path)) return null;
        string text = File.ReadAllText(path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: {JsonFile.Describe(exception)}", exception);
        }
        if (root["kind"] is not JsonValue kindValue || !kindValue.TryGetValue(out string? kind))
            throw new InvalidDataException($"{path} has no 'kind' (written by an mfr older than results schema {SchemaVersion}); run the experiment's command again with --out {folder} to rewrite it (finished runs are reused).");
        if (!Kinds.TryGetValue(kind, out var type))
            throw new InvalidDataException($"{path}: unknown kind '{kind}'; expected one of {string.Join(", ", Kinds.Keys)}.");
        int version = root["schemaVersion"] is JsonValue v && v.TryGetValue(out int parsed) ? parsed : 0;
        if (version > SchemaVersion)
            throw new InvalidDataException($"{path} has results schema {version}; this mfr reads up to {SchemaVersion}. Use a newer mfr.");
        root.Remove("kind");
        root.Remove("schemaVersion");
        try
        {
            return root.Deserialize(type, MetricLog.JsonOptions) ?? throw new InvalidDataException($"{path} holds null.");
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: {JsonFile.Describe(exception)}", exception);
        }
    }

    private static JsonSerializerOptions IndentedOptions { get; } = new(MetricLog.JsonOptions) { WriteIndented = true };
}

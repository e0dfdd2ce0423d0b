using System.Text.Json;
using Mfr.IO;
using Mfr.Training;

namespace Mfr.Checkpoints;

/// <summary>
/// Checkpoints of a training run under <c>RUN/checkpoints/</c>: one folder per checkpoint
/// (<c>step-00000500/</c>) holding each SAE in the field's format (<c>sae-0/cfg.json</c> +
/// <c>sae.safetensors</c>), the AdamW moments (<c>optimizer.safetensors</c>) and
/// <c>trainer_state.json</c>, written last: a checkpoint folder is complete when it holds that file.
/// The file <c>latest</c> names the current checkpoint.
/// <para>
/// A committed checkpoint is never deleted or changed before its replacement is on disk (issue 13: the
/// old delete-then-move lost the run when killed in between). <see cref="Save"/> writes the new checkpoint
/// into a temporary folder (<c>.tmp-step-…</c>), flushes every file and folder to disk, renames it to a
/// name no folder has yet (<c>step-00000500</c>, or <c>step-00000500.1</c> when a folder of that step
/// exists, as when a finished run is resumed and saves its last step again), then replaces
/// <c>latest</c> atomically (the commit) and only then deletes what it supersedes: shadow paging, as in
/// LMDB or a database's catalogue switch. A crash at any moment leaves <c>latest</c> naming a complete
/// checkpoint. If <c>latest</c> is lost or damaged anyway, <see cref="Locate"/> falls back to the newest
/// complete folder. Kept: the current checkpoint and the newest one of an earlier step.
/// </para>
/// </summary>
public static partial class TrainingCheckpoint
{
    /// <summary>Name of the folder of checkpoints in a run folder.</summary>
    public const string FolderName = "checkpoints";

    private const string LatestFileName = "latest";
    private const string StateFileName = "trainer_state.json";
    private const string OptimizerFileName = "optimizer.safetensors";
    private const string TemporaryPrefix = ".tmp-step-";

    /// <summary>Where a run resumes from.</summary>
    /// <param name="Folder">The checkpoint to load, or null when there is no usable one.</param>
    /// <param name="Problem">
    /// What was wrong with <c>latest</c> (missing, unreadable, naming a missing or incomplete folder), ending with the
    /// fallback taken when <paramref name="Folder"/> is not null; null when <c>latest</c> was fine or the run never
    /// saved a checkpoint.
    /// </param>
    public sealed record Lookup(string? Folder, string? Problem);

    /// <summary>Folder of SAE <paramref name="member"/> inside a checkpoint or final folder.</summary>
    public static string SaeFolder(string parent, int member) => Path.Combine(parent, $"sae-{member}");

    /// <summary>Writes a checkpoint of <paramref name="trainer"/>'s current state and makes it the latest; returns its folder.</summary>
    public static string Save(Trainer trainer, string runDirectory, IReadOnlyDictionary<string, string> provenance)
    {
        string root = Path.Combine(runDirectory, FolderName);
        if (!Directory.Exists(root))
        {
            Directory.CreateDirectory(root);
            DirectorySync.Flush(runDirectory);
        }
        string temporary = Path.Combine(root, $"{TemporaryPrefix}{trainer.Step:D8}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        string name, final;
        try
        {
            WriteContents(trainer, temporary, provenance);
            foreach (var member in trainer.Members) DirectorySync.Flush(SaeFolder(temporary, member.Index));
            DirectorySync.Flush(temporary);
            CrashPoint.Reached("checkpoint-written");
            name = FreeName(root, trainer.Step);
            final = Path.Combine(root, name);
            Directory.Move(temporary, final);
            DirectorySync.Flush(root);
        }
        catch
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            throw;
        }
        // The new checkpoint is durable under its own name; `latest` still names the previous one, intact.
        CrashPoint.Reached("checkpoint-renamed");
        AtomicFile.WriteAllText(Path.Combine(root, LatestFileName), name + "\n");
        CrashPoint.Reached("latest-written");
        Prune(root, name);
        return final;
    }

    /// <summary>Writes the SAEs (only) of <paramref name="trainer"/> into <paramref name="directory"/>/sae-m.</summary>
    public static void SaveSaes(Trainer trainer, string directory, IReadOnlyDictionary<string, string> provenance)
    {
        foreach (var member in trainer.Members) SaeFiles.Save(member.Sae, SaeFolder(directory, member.Index), MemberProvenance(trainer, member, provenance));
    }

    /// <summary>The run's <paramref name="provenance"/> plus what is particular to <paramref name="member"/>: its seed, index, steps trained and re-initialisations.</summary>
    public static Dictionary<string, string> MemberProvenance(Trainer trainer, EnsembleMember member, IReadOnlyDictionary<string, string> provenance) => new(provenance)
    {
        ["seed"] = member.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ensemble_index"] = member.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["trained_steps"] = trainer.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["reinitializations"] = member.ReinitializationCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void WriteContents(Trainer trainer, string folder, IReadOnlyDictionary<string, string> provenance)
    {
        SaveSaes(trainer, folder, provenance);
        var moments = new List<NamedTensor>();
        foreach (var member in trainer.Members)
            foreach (var (name, buffer) in member.Optimizer.State)
                moments.Add(new NamedTensor($"sae{member.Index}.{name}", [buffer.Length], buffer.Span.ToArray()));
        SafetensorsWriter.Write(Path.Combine(folder, OptimizerFileName), moments);
        var state = new TrainerState(
            trainer.Step,
            trainer.ElapsedSeconds,
            trainer.Members.Select(m => m.Optimizer.StepCount).ToArray(),
            trainer.Members.Select(m => m.ReinitializationCount).ToArray(),
            trainer.LastFiredStep,
            trainer.Regularizer?.SaveState().ToDictionary() ?? []);
        AtomicFile.WriteAllText(Path.Combine(folder, StateFileName), JsonSerializer.Serialize(state, MetricLog.JsonOptions));
    }

    /// <summary>
    /// The checkpoint a run resumes from: the one <c>latest</c> names when that is a complete checkpoint folder, else the
    /// newest complete checkpoint folder (by step), saying why in <see cref="Lookup.Problem"/>.
    /// </summary>
    public static Lookup Locate(string runDirectory)
    {
        string root = Path.Combine(runDirectory, FolderName);
        if (!Directory.Exists(root)) return new Lookup(null, null);
        string pointer = Path.Combine(root, LatestFileName);
        string? problem;
        if (!File.Exists(pointer))
        {
            problem = $"{pointer} is missing";
        }
        else
        {
            string named = ReadPointer(pointer);
            if (StepOf(named) is null) problem = $"{pointer} does not name a checkpoint folder";
            else if (!IsComplete(Path.Combine(root, named))) problem = $"{pointer} names {named}, which is missing or incomplete";
            else return new Lookup(Path.Combine(root, named), null);
        }
        string? newest = CompleteCheckpoints(runDirectory).Select(Path.GetFileName).FirstOrDefault();
        if (newest is null) return new Lookup(null, Directory.EnumerateFileSystemEntries(root).Any() ? problem + " and no checkpoint folder is complete" : null);
        return new Lookup(Path.Combine(root, newest), $"{problem}; resuming from {newest}, the newest complete checkpoint");
    }

    /// <summary>The run's complete checkpoint folders, newest first (the fallbacks when the one <see cref="Locate"/> gives does not load).</summary>
    public static IReadOnlyList<string> CompleteCheckpoints(string runDirectory)
    {
        string root = Path.Combine(runDirectory, FolderName);
        if (!Directory.Exists(root)) return [];
        return CompleteFolders(root).OrderByDescending(f => f.Step).ThenByDescending(f => f.Name, StringComparer.Ordinal).Select(f => Path.Combine(root, f.Name)).ToArray();
    }

    /// <summary>True when the run has ever committed a checkpoint (<c>latest</c> or a checkpoint folder exists, usable or not).</summary>
    public static bool WasEverSaved(string runDirectory)
    {
        string root = Path.Combine(runDirectory, FolderName);
        return Directory.Exists(root) && (File.Exists(Path.Combine(root, LatestFileName))
            || Directory.EnumerateDirectories(root).Any(d => StepOf(Path.GetFileName(d)) is not null));
    }

    /// <summary>True for the name of a checkpoint being written (<c>.tmp-step-…</c>), e.g. one a killed process left behind.</summary>
    public static bool IsTemporaryFolderName(string name) => name.StartsWith(TemporaryPrefix, StringComparison.Ordinal);

    /// <summary>Restores <paramref name="trainer"/> (built from the same run specification) from <paramref name="folder"/>.</summary>
    public static void Load(Trainer trainer, string folder)
    {
        string statePath = Path.Combine(folder, StateFileName);
        var state = JsonFile.Read<TrainerState>(statePath, MetricLog.StrictReadOptions);
        if (state.OptimizerSteps.Length != trainer.Members.Count)
            throw new InvalidDataException($"{folder} holds {state.OptimizerSteps.Length} SAEs, the run specifies {trainer.Members.Count}.");
        // Values no run writes: the file was edited or damaged (a usage error further down would blame the settings).
        if (state.Step < 0 || state.ElapsedSeconds < 0 || state.ReinitializationCounts.Length != trainer.Members.Count || state.LastFiredStep.Length != trainer.Members.Count)
            throw new InvalidDataException($"{statePath}: step {state.Step}, {state.ReinitializationCounts.Length} re-initialisation counts and {state.LastFiredStep.Length} firing records " +
                $"for {trainer.Members.Count} SAEs: not a state any run writes.");
        using var optimizer = SafetensorsFile.Open(Path.Combine(folder, OptimizerFileName));
        foreach (var member in trainer.Members)
        {
            using (var saved = SaeFiles.Load(SaeFolder(folder, member.Index)))
            {
                if (saved.Config != member.Sae.Config)
                    throw new InvalidDataException($"{folder}: SAE {member.Index} is {saved.Config.Describe()}, the run specifies {member.Sae.Config.Describe()}.");
                member.Sae.CopyFrom(saved);
            }
            foreach (var (name, buffer) in member.Optimizer.State) optimizer.ReadFloat32($"sae{member.Index}.{name}", buffer.Span);
            member.Optimizer.StepCount = state.OptimizerSteps[member.Index];
            member.ReinitializationCount = state.ReinitializationCounts[member.Index];
            state.LastFiredStep[member.Index].CopyTo(trainer.LastFiredStep[member.Index], 0);
        }
        trainer.Regularizer?.LoadState(state.RegularizerState);
        trainer.RestorePosition(state.Step, state.ElapsedSeconds);
    }

    private static string ReadPointer(string pointer)
    {
        try
        {
            return File.ReadAllText(pointer).Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The step of a checkpoint folder name (<c>step-00000500</c> or <c>step-00000500.1</c>); null for any other name.</summary>
    private static long? StepOf(string name)
    {
        var match = CheckpointName().Match(name);
        return match.Success && long.TryParse(match.Groups[1].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long step) ? step : null;
    }

    private static bool IsComplete(string folder) => File.Exists(Path.Combine(folder, StateFileName));

    private static IEnumerable<(string Name, long Step)> CompleteFolders(string root) =>
        from folder in Directory.EnumerateDirectories(root)
        let name = Path.GetFileName(folder)
        let step = StepOf(name)
        where step is not null && IsComplete(folder)
        select (name, step.Value);

    private static string FreeName(string root, long step)
    {
        string name = $"step-{step:D8}";
        for (int copy = 1; Directory.Exists(Path.Combine(root, name)); copy++) name = $"step-{step:D8}.{copy}";
        return name;
    }

    /// <summary>
    /// Deletes every checkpoint folder except <paramref name="current"/> (just committed) and the newest complete one of
    /// an earlier step: others of the same step are superseded, later ones were never committed (a crash before
    /// <c>latest</c> named them), older ones are done with.
    /// </summary>
    private static void Prune(string root, string current)
    {
        long step = StepOf(current)!.Value;
        string? previous = CompleteFolders(root).Where(f => f.Step < step).OrderByDescending(f => f.Step).ThenByDescending(f => f.Name, StringComparer.Ordinal).Select(f => f.Name).FirstOrDefault();
        foreach (string folder in Directory.GetDirectories(root))
        {
            string name = Path.GetFileName(folder);
            if (StepOf(name) is not null && name != current && name != previous) Directory.Delete(folder, recursive: true);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^step-([0-9]{8,})(\.[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex CheckpointName();
}

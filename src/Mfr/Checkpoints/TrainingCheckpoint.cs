using System.Text.Json;
using Mfr.IO;
using Mfr.Training;

namespace Mfr.Checkpoints;

/// <summary>
/// Checkpoints of a training run under <c>RUN/checkpoints/</c>: one folder per checkpoint
/// (<c>step-00000500/</c>) holding each SAE in the field's format (<c>sae-0/cfg.json</c> +
/// <c>sae.safetensors</c>), the AdamW moments (<c>optimizer.safetensors</c>) and
/// <c>trainer_state.json</c>. A checkpoint is written into a temporary folder and renamed into
/// place, then the <c>latest</c> file is replaced atomically, so a crash at any moment leaves the
/// previous checkpoint intact and findable. The two newest checkpoints are kept.
/// </summary>
public static class TrainingCheckpoint
{
    private const string LatestFileName = "latest";
    private const string StateFileName = "trainer_state.json";
    private const string OptimizerFileName = "optimizer.safetensors";
    private const int Kept = 2;

    /// <summary>Folder of SAE <paramref name="member"/> inside a checkpoint or final folder.</summary>
    public static string SaeFolder(string parent, int member) => Path.Combine(parent, $"sae-{member}");

    /// <summary>Writes a checkpoint of <paramref name="trainer"/>'s current state; returns its folder.</summary>
    public static string Save(Trainer trainer, string runDirectory, IReadOnlyDictionary<string, string> provenance)
    {
        string root = Path.Combine(runDirectory, "checkpoints");
        Directory.CreateDirectory(root);
        string name = $"step-{trainer.Step:D8}";
        string final = Path.Combine(root, name);
        string temporary = Path.Combine(root, $".tmp-{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            WriteContents(trainer, temporary, provenance);
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(temporary, final);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        }
        AtomicFile.WriteAllText(Path.Combine(root, LatestFileName), name + "\n");
        Prune(root, name);
        return final;
    }

    /// <summary>Writes the SAEs (only) of <paramref name="trainer"/> into <paramref name="directory"/>/sae-m.</summary>
    public static void SaveSaes(Trainer trainer, string directory, IReadOnlyDictionary<string, string> provenance)
    {
        foreach (var member in trainer.Members)
        {
            var facts = new Dictionary<string, string>(provenance)
            {
                ["seed"] = member.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ensemble_index"] = member.Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["trained_steps"] = trainer.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["reinitializations"] = member.ReinitializationCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            SaeFiles.Save(member.Sae, SaeFolder(directory, member.Index), facts);
        }
    }

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

    /// <summary>The newest complete checkpoint folder of a run, or null when there is none.</summary>
    public static string? FindLatest(string runDirectory)
    {
        string root = Path.Combine(runDirectory, "checkpoints");
        string pointer = Path.Combine(root, LatestFileName);
        if (!File.Exists(pointer)) return null;
        string folder = Path.Combine(root, File.ReadAllText(pointer).Trim());
        return Directory.Exists(folder) ? folder : null;
    }

    /// <summary>Restores <paramref name="trainer"/> (built from the same run specification) from <paramref name="folder"/>.</summary>
    public static void Load(Trainer trainer, string folder)
    {
        string statePath = Path.Combine(folder, StateFileName);
        var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(statePath), MetricLog.JsonOptions)
            ?? throw new InvalidDataException($"{statePath} is empty.");
        if (state.OptimizerSteps.Length != trainer.Members.Count)
            throw new InvalidDataException($"{folder} holds {state.OptimizerSteps.Length} SAEs, the run specifies {trainer.Members.Count}.");
        using var optimizer = SafetensorsFile.Open(Path.Combine(folder, OptimizerFileName));
        foreach (var member in trainer.Members)
        {
            using (var saved = SaeFiles.Load(SaeFolder(folder, member.Index)))
            {
                if (saved.Config != member.Sae.Config)
                    throw new InvalidDataException($"{folder}: SAE {member.Index} is {saved.Config}, the run specifies {member.Sae.Config}.");
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

    private static void Prune(string root, string newest)
    {
        var folders = Directory.GetDirectories(root, "step-*").Select(Path.GetFileName).OfType<string>().OrderBy(n => n, StringComparer.Ordinal).ToList();
        foreach (string old in folders.Take(Math.Max(0, folders.Count - Kept)))
            if (old != newest) Directory.Delete(Path.Combine(root, old), recursive: true);
    }
}

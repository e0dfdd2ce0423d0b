using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Experiments;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Interop;

/// <summary>
/// Exports a run's final SAEs, or one SAE folder, in SAELens v6 or sparsify layout (issue 15 items 1-4).
/// A run gives what a bare SAE folder cannot: its held-out evaluation (final/evaluation.json: SAELens'
/// sparsity.safetensors, l0, num_dead_features), provenance for SAELens' metadata from run.json, and
/// held-out vectors for the activation check of topk SAEs (<see cref="ActivationCheck"/>).
/// </summary>
public static class SaeExport
{
    /// <summary>Exports <paramref name="runOrSaeFolder"/> into <paramref name="outputDirectory"/>: a run's SAE m to sae-m/, a single SAE to the folder itself.</summary>
    /// <param name="runOrSaeFolder">A run folder (run.json + final/sae-m) or one SAE folder (cfg.json + weights).</param>
    /// <param name="layout">SaeLens or Sparsify.</param>
    /// <param name="outputDirectory">Target folder (created if needed).</param>
    /// <exception cref="ArgumentException">Layout Mfr (nothing to export to), or a topk SAE exported from a bare SAE folder (no held-out data to check it on).</exception>
    public static IReadOnlyList<SaeExportResult> Export(string runOrSaeFolder, SaeLayout layout, string outputDirectory)
    {
        if (layout == SaeLayout.Mfr) throw new ArgumentException("--format must be saelens or sparsify.");
        if (!File.Exists(Path.Combine(runOrSaeFolder, TrainingRun.SpecificationFileName)))
        {
            using var sae = SaeFiles.Load(runOrSaeFolder);
            return [Write(sae, layout, outputDirectory, new SaeExportInputs(new SaeLensMetadata(HookName: $"mfr-sae:{Path.GetFileName(Path.GetFullPath(runOrSaeFolder))}")))];
        }
        var specification = TrainingRun.ReadSpecification(runOrSaeFolder);
        var evaluation = HeldOutEvaluation.Load(runOrSaeFolder);
        var metadata = Metadata(specification.Data);
        string final = Path.Combine(runOrSaeFolder, "final");
        if (!Directory.Exists(final))
            throw new FileNotFoundException($"{runOrSaeFolder} has no final SAEs: the run has not finished. Continue it with mfr train --resume {runOrSaeFolder}, then export.", final);
        float[]? heldOut = null;
        var results = new List<SaeExportResult>();
        for (int m = 0; m < specification.Saes.Length; m++)
        {
            string folder = TrainingCheckpoint.SaeFolder(final, m);
            using var sae = SaeFiles.Load(folder);
            if (sae.Config.Activation == SaeActivation.TopK) heldOut ??= ActivationCheck.ReadHeldOut(specification.Data, sae.Config.InputDim);
            var inputs = new SaeExportInputs(metadata, evaluation?.Saes.ElementAtOrDefault(m), heldOut ?? ReadOnlyMemory<float>.Empty, Provenance(folder));
            results.Add(Write(sae, layout, TrainingCheckpoint.SaeFolder(outputDirectory, m), inputs));
        }
        return results;
    }

    // The facts the run recorded in the SAE's "mfr" block (seed, data, steps trained...), in either of Mfr's layouts; what
    // describes the SAE itself (activation, decoder bias, tool, the activation check) is written anew.
    private static Dictionary<string, string> Provenance(string folder)
    {
        string[] written = ["activation", "tied_weights", "use_decoder_bias", "tool", "activation_check"];
        string path = Path.Combine(folder, SaeFiles.ConfigFileName);
        var facts = new Dictionary<string, string>();
        if (InteropJson.ReadObject(path)["mfr"] is not System.Text.Json.Nodes.JsonObject mfr) return facts;
        foreach (var (key, value) in mfr)
            if (!written.Contains(key) && value is System.Text.Json.Nodes.JsonValue text && text.GetValueKind() == System.Text.Json.JsonValueKind.String) facts[key] = text.GetValue<string>();
        return facts;
    }

    private static SaeExportResult Write(TopKSae sae, SaeLayout layout, string directory, SaeExportInputs inputs) => layout == SaeLayout.SaeLens
        ? SaeLensFormat.Write(sae, directory, inputs)
        : SparsifyFormat.Write(sae, directory, inputs);

    // SAELens' hook_name names a TransformerLens hook; vectors from a file or the generator say where they came from instead.
    internal static SaeLensMetadata Metadata(DataSpecification data) => data switch
    {
        { Kind: "synthetic" } => new SaeLensMetadata(HookName: "mfr-synthetic", DatasetPath: $"mfr synthetic generator, seed {data.Synthetic?.Seed ?? 0}"),
        { Kind: DataSpecification.SynthSaeBenchKind } => new SaeLensMetadata(HookName: "mfr-synthsaebench",
            DatasetPath: $"mfr SynthSAEBench generator (N {data.SynthSaeBenchOrDefault.FeatureCount}, d {data.SynthSaeBenchOrDefault.InputDim}), seed {data.SynthSaeBenchOrDefault.Seed}"),
        { Path: null } => new SaeLensMetadata(HookName: $"mfr-{data.Kind}"),
        _ => Gpt2Metadata(data.Path) ?? new SaeLensMetadata(HookName: $"file:{Path.GetFileName(data.Path)}{(data.TensorName is null ? "" : "#" + data.TensorName)}", DatasetPath: data.Path),
    };

    /// <summary>
    /// Provenance of activations written by `mfr gpt2` (its manifest ACTIVATIONS.npy.json, <see cref="Gpt2ActivationManifest"/>: tokens,
    /// context, layer, hook), named as TransformerLens names GPT-2 hooks (<c>blocks.L.hook_mlp_out</c>); null for other files.
    /// </summary>
    internal static SaeLensMetadata? Gpt2Metadata(string activationsPath)
    {
        string path = Gpt2Experiment.ManifestPath(activationsPath);
        if (!File.Exists(path)) return null;
        Gpt2ActivationManifest manifest;
        try
        {
            manifest = JsonFile.Read<Gpt2ActivationManifest>(path, MetricLog.JsonOptions);
        }
        catch (InvalidDataException)
        {
            return null; // not a manifest `mfr gpt2` wrote: the metadata names the file instead
        }
        if (manifest.Tokens is null) return null;
        // Manifests written before the record (snake_case keys) read as zeros: those folders were always block-0 MLP.
        bool beforeRecord = manifest.ContextLength == 0 && manifest.Model is null;
        string hook = (beforeRecord ? Gpt2.Gpt2HookPoint.MlpOutput : manifest.Hook) switch
        {
            Gpt2.Gpt2HookPoint.AttentionOutput => "hook_attn_out",
            Gpt2.Gpt2HookPoint.ResidualAfterBlock => "hook_resid_post",
            _ => "hook_mlp_out",
        };
        return new SaeLensMetadata(
            HookName: $"blocks.{manifest.Layer}.{hook}",
            ModelName: "gpt2",
            ModelClassName: "HookedTransformer",
            ContextSize: manifest.ContextLength > 0 ? manifest.ContextLength : null,
            // ActivationExtraction cuts contexts from the token stream (TokenWindows.Cut) without adding BOS.
            PrependBos: false,
            DatasetPath: manifest.Tokens);
    }
}

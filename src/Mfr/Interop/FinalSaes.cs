using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Interop;

/// <summary>
/// The run folder's <c>final/</c> (issue 15 item 4): each trained SAE in SAELens v6 layout, so
/// <c>SAE.load_from_disk("RUN/final/sae-0")</c> loads it unchanged: <c>sae_weights.safetensors</c> and
/// <c>cfg.json</c> when training ends, <c>sparsity.safetensors</c> with l0 and num_dead_features once the
/// run's held-out evaluation is saved (<see cref="HeldOutEvaluation.Save"/> calls <see cref="AddEvaluation"/>).
/// cfg.json's "mfr" block (dropped by SAELens) keeps what Mfr's loader needs to restore the SAE exactly:
/// the activation (topk without ReLU), the decoder bias, and the provenance the old layout recorded.
/// <para>
/// A <c>topk</c> SAE (no ReLU, Mfr's default) is one SAELens runs with a ReLU after TopK. It is written all the
/// same, as <c>mfr export</c> writes it: the negative top-k values on the run's first
/// <see cref="ActivationCheck.CheckedVectors"/> held-out vectors are counted and recorded in
/// <c>mfr.activation_check</c>, which `mfr train` prints when the count is above zero (<see cref="ActivationWarnings"/>). Checkpoints keep Mfr's own
/// layout (<c>sae.safetensors</c>, <see cref="SaeFiles.Save"/>), which every loader still reads, so runs saved
/// before this layout load as they did.
/// </para>
/// </summary>
public static class FinalSaes
{
    /// <summary>Name of the folder of final SAEs in a run folder.</summary>
    public const string FolderName = "final";

    /// <summary>Writes every SAE of <paramref name="trainer"/> to RUN/final/sae-m in SAELens v6 layout; returns each one's activation check.</summary>
    /// <param name="trainer">The trained ensemble (decoders current).</param>
    /// <param name="runDirectory">The run folder.</param>
    /// <param name="data">The run's data: SAELens' metadata, and held-out vectors for the activation check.</param>
    /// <param name="provenance">Facts of the run recorded in each cfg.json's "mfr" block.</param>
    public static IReadOnlyList<ActivationCheck> Save(Trainer trainer, string runDirectory, DataSpecification data, IReadOnlyDictionary<string, string> provenance)
    {
        string final = Path.Combine(runDirectory, FolderName);
        var metadata = SaeExport.Metadata(data);
        float[]? heldOut = null;
        var checks = new List<ActivationCheck>();
        foreach (var member in trainer.Members)
        {
            if (member.Sae.Config.Activation == SaeActivation.TopK) heldOut ??= ActivationCheck.ReadHeldOut(data, member.Sae.Config.InputDim);
            string folder = TrainingCheckpoint.SaeFolder(final, member.Index);
            var inputs = new SaeExportInputs(metadata, HeldOutVectors: heldOut ?? ReadOnlyMemory<float>.Empty,
                Provenance: TrainingCheckpoint.MemberProvenance(trainer, member, provenance));
            checks.Add(SaeLensFormat.Write(member.Sae, folder, inputs).Check);
            // The old layout's weights, left by a run finished before this layout and resumed to train longer, are stale now.
            File.Delete(Path.Combine(folder, SaeFiles.WeightsFileName));
        }
        return checks;
    }

    /// <summary>
    /// One line per final SAE of the run whose recorded activation check found negative top-k values (SAELens would
    /// reconstruct it differently), e.g. for `mfr train` to print; empty for topk-relu SAEs, clean checks and old runs.
    /// </summary>
    public static IReadOnlyList<string> ActivationWarnings(string runDirectory)
    {
        string final = Path.Combine(runDirectory, FolderName);
        var lines = new List<string>();
        for (int m = 0; Directory.Exists(TrainingCheckpoint.SaeFolder(final, m)); m++)
        {
            string configPath = Path.Combine(TrainingCheckpoint.SaeFolder(final, m), SaeLensFormat.ConfigFileName);
            if (!File.Exists(configPath)) continue;
            if (InteropJson.ReadObject(configPath)["mfr"]?["activation_check"] is not System.Text.Json.Nodes.JsonObject check) continue;
            if (InteropJson.Integer(check, "negative_topk_activations", configPath, fallback: 0) > 0)
                lines.Add($"{TrainingCheckpoint.SaeFolder(final, m)} (SAELens layout): {InteropJson.String(check, "note", configPath, "")}");
        }
        return lines;
    }

    /// <summary>
    /// Adds <paramref name="evaluation"/> to the run's final SAEs written by <see cref="Save"/>: SAELens' sparsity.safetensors,
    /// l0 and num_dead_features. Final SAEs in the old layout (runs finished before it) are left as they are.
    /// </summary>
    public static void AddEvaluation(string runDirectory, HeldOutEvaluation evaluation)
    {
        for (int m = 0; m < evaluation.Saes.Length; m++)
        {
            string folder = TrainingCheckpoint.SaeFolder(Path.Combine(runDirectory, FolderName), m);
            if (File.Exists(Path.Combine(folder, SaeLensFormat.WeightsFileName))) SaeLensFormat.AddEvaluation(folder, evaluation.Saes[m]);
        }
    }
}

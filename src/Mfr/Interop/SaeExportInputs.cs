using Mfr.Evaluation;

namespace Mfr.Interop;

/// <summary>What an export needs besides the SAE.</summary>
/// <param name="Metadata">Provenance for SAELens' <c>metadata</c> (ignored by sparsify's layout).</param>
/// <param name="Evaluation">The SAE's held-out evaluation (final/evaluation.json), or null: gives SAELens' sparsity.safetensors, l0 and num_dead_features.</param>
/// <param name="HeldOutVectors">Held-out vectors <c>[n, d]</c> for the activation check of a topk SAE (see <see cref="ActivationCheck"/>); empty for topk-relu.</param>
/// <param name="Provenance">Facts recorded under cfg.json's "mfr" block of an SAELens folder (seed, data, steps trained...), as Mfr's own layout records them; null for none.</param>
public sealed record SaeExportInputs(SaeLensMetadata Metadata, ReconstructionMetrics? Evaluation = null, ReadOnlyMemory<float> HeldOutVectors = default,
    IReadOnlyDictionary<string, string>? Provenance = null);

using Mfr.Sae;

namespace Mfr.Interop;

/// <summary>
/// What an export found about activation semantics (issue 15 item 2). SAELens' TopK applies ReLU to
/// the top k (sae_lens/saes/topk_sae.py, <c>TopK.forward</c>: <c>topk_values.relu()</c>) and sparsify
/// applies ReLU before its top-k (sparsify/fused_encoder.py, <c>F.relu(F.linear(...))</c>); Mfr's
/// default <c>topk</c> keeps negative values. A <c>topk-relu</c> SAE exports unchanged (zero vectors
/// checked); a <c>topk</c> SAE exports only with held-out vectors, and the count of negative values
/// among their top k says how often the libraries will reconstruct differently.
/// </summary>
/// <param name="Activation">The exported SAE's activation.</param>
/// <param name="VectorsChecked">Held-out vectors encoded for the count (0 for topk-relu).</param>
/// <param name="TopKActivations">Top-k values seen: VectorsChecked * k.</param>
/// <param name="NegativeActivations">Of those, how many were negative (zeroed by the libraries, kept by Mfr).</param>
public sealed record ActivationCheck(SaeActivation Activation, long VectorsChecked, long TopKActivations, long NegativeActivations)
{
    /// <summary>
    /// Checks <paramref name="sae"/> for export: nothing to count for topk-relu; for topk, counts the
    /// negative top-k values on <paramref name="heldOut"/>.
    /// </summary>
    /// <param name="sae">The SAE to export.</param>
    /// <param name="heldOut">Held-out vectors, <c>[n, d]</c>, or empty.</param>
    /// <exception cref="ArgumentException">A topk SAE and no held-out vectors: the export would silently change its reconstruction.</exception>
    public static ActivationCheck For(TopKSae sae, ReadOnlySpan<float> heldOut)
    {
        var config = sae.Config;
        if (config.Activation == SaeActivation.TopKRelu) return new ActivationCheck(config.Activation, 0, 0, 0);
        if (heldOut.IsEmpty)
            throw new ArgumentException("This SAE uses 'topk' (no ReLU after TopK), SAELens and sparsify apply ReLU, so they would reconstruct differently wherever a top-k value is negative; export it with held-out vectors to count those values (mfr export RUN_FOLDER uses the run's held-out data), or train with activation 'topk-relu'.");
        if (heldOut.Length % config.InputDim != 0)
            throw new ArgumentException($"Held-out vectors hold {heldOut.Length} floats, not a multiple of the SAE's input width {config.InputDim}.");
        int count = heldOut.Length / config.InputDim;
        long negative = UntiedTopKSae.FromTopKSae(sae).CountNegativeTopK(heldOut, count);
        return new ActivationCheck(config.Activation, count, (long)count * config.K, negative);
    }

    /// <summary>One line for the user, e.g. "3 of 640 top-k activations on 160 held-out vectors are negative: ...".</summary>
    public string Describe() => Activation == SaeActivation.TopKRelu
        ? "activation topk-relu: SAELens and sparsify reproduce Mfr's reconstruction."
        : NegativeActivations == 0
            ? $"activation topk (no ReLU): 0 of {TopKActivations} top-k activations on {VectorsChecked} held-out vectors are negative, so SAELens and sparsify (which apply ReLU) reproduce Mfr's reconstruction there."
            : $"activation topk (no ReLU): {NegativeActivations} of {TopKActivations} top-k activations on {VectorsChecked} held-out vectors are negative; SAELens and sparsify zero them, so their reconstructions differ from Mfr's on those vectors.";
}

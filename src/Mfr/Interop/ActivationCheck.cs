using Mfr.Data;
using Mfr.Evaluation;
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
    /// <summary>Held-out vectors encoded to count negative top-k values of a topk SAE (the first ones of the run's held-out data).</summary>
    public const int CheckedVectors = 4096;

    /// <summary>Vectors encoded at once: bounds the workspace at 256 * h floats.</summary>
    private const int BatchSize = 256;

    /// <summary>
    /// Checks <paramref name="sae"/> for export: nothing to count for topk-relu; for topk, counts the
    /// negative top-k values on <paramref name="heldOut"/>, as Mfr's own forward pass selects them
    /// (<see cref="SaeComputation.Forward"/>; <see cref="UntiedTopKSae.CountNegativeTopK"/> is its scalar reference).
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
        return new ActivationCheck(config.Activation, count, (long)count * config.K, CountNegativeTopK(sae, heldOut, count));
    }

    // TopK.Select leaves the selected pre-activations in Values; a ReLU after it zeroes the negative ones.
    private static long CountNegativeTopK(TopKSae sae, ReadOnlySpan<float> inputs, int count)
    {
        int d = sae.Config.InputDim, k = sae.Config.K;
        using var workspace = new SaeWorkspace(sae.Config, Math.Min(BatchSize, count));
        long negative = 0;
        for (int start = 0; start < count; start += workspace.MaxBatchSize)
        {
            int batch = Math.Min(workspace.MaxBatchSize, count - start);
            SaeComputation.Forward(sae, inputs.Slice(start * d, batch * d), batch, workspace);
            foreach (float value in workspace.Values.AsSpan(0, batch * k)) if (value < 0) negative++;
        }
        return negative;
    }

    /// <summary>The first <see cref="CheckedVectors"/> held-out vectors of a run's data (<see cref="HeldOutData"/>), <c>[n, d]</c>: what the check encodes.</summary>
    public static float[] ReadHeldOut(DataSpecification data, int inputDim)
    {
        var (source, firstBatch) = HeldOutData.Open(data);
        using (source)
        {
            int count = (int)Math.Min(CheckedVectors, source.VectorCount ?? CheckedVectors);
            var vectors = new float[(long)count * inputDim];
            source.ReadBatch(firstBatch, count, vectors);
            return vectors;
        }
    }

    /// <summary>One line for the user, e.g. "3 of 640 top-k activations on 160 held-out vectors are negative: ...".</summary>
    public string Describe() => Activation == SaeActivation.TopKRelu
        ? "activation topk-relu: SAELens and sparsify reproduce Mfr's reconstruction."
        : NegativeActivations == 0
            ? $"activation topk (no ReLU): 0 of {TopKActivations} top-k activations on {VectorsChecked} held-out vectors are negative, so SAELens and sparsify (which apply ReLU) reproduce Mfr's reconstruction there."
            : $"activation topk (no ReLU): {NegativeActivations} of {TopKActivations} top-k activations on {VectorsChecked} held-out vectors are negative; SAELens and sparsify zero them, so their reconstructions differ from Mfr's on those vectors.";
}

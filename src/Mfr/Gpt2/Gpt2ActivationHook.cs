namespace Mfr.Gpt2;

/// <summary>
/// Called by <see cref="Gpt2Model"/> at every hook point of every block it runs, in order (block 0
/// attention output, block 0 MLP output, block 0 residual, block 1 ...). The hook may read the
/// activations, or overwrite them to replace what the model continues with (zero ablation, an SAE
/// reconstruction spliced in). It must not keep the span: the buffer is reused.
/// </summary>
/// <param name="point">Which activations these are.</param>
/// <param name="layer">Block index.</param>
/// <param name="activations">
/// <c>[batchSize * sequenceLength, EmbeddingDim]</c>, row <c>b * sequenceLength + t</c> for token t of sequence b.
/// </param>
public delegate void Gpt2ActivationHook(Gpt2HookPoint point, int layer, Span<float> activations);

namespace Mfr.Gpt2;

/// <summary>Ready-made <see cref="Gpt2ActivationHook"/>s for the loss-recovered evaluation (SPEC section 4).</summary>
public static class Gpt2Hooks
{
    /// <summary>Sets the activations at one hook point of one block to zero (zero ablation).</summary>
    /// <param name="point">Hook point, e.g. <see cref="Gpt2HookPoint.MlpOutput"/>.</param>
    /// <param name="layer">Block index.</param>
    public static Gpt2ActivationHook ZeroAblate(Gpt2HookPoint point, int layer) =>
        (hookPoint, hookLayer, activations) =>
        {
            if (hookPoint == point && hookLayer == layer) activations.Clear();
        };

    /// <summary>
    /// Lets <paramref name="edit"/> rewrite the activations at one hook point of one block in place, e.g.
    /// replace block 0's MLP output by its SAE reconstruction.
    /// </summary>
    /// <param name="point">Hook point.</param>
    /// <param name="layer">Block index.</param>
    /// <param name="edit">Gets <c>[tokenCount, EmbeddingDim]</c> and overwrites it.</param>
    public static Gpt2ActivationHook Replace(Gpt2HookPoint point, int layer, Action<Span<float>> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return (hookPoint, hookLayer, activations) =>
        {
            if (hookPoint == point && hookLayer == layer) edit(activations);
        };
    }
}

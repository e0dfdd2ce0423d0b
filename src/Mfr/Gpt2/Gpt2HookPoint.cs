namespace Mfr.Gpt2;

/// <summary>Where in a GPT-2 block a <see cref="Gpt2ActivationHook"/> sees the activations.</summary>
public enum Gpt2HookPoint
{
    /// <summary>Output of the attention sublayer (after <c>attn.c_proj</c>), before it is added to the residual stream.</summary>
    AttentionOutput,

    /// <summary>Output of the MLP sublayer (after <c>mlp.c_proj</c>), before it is added to the residual stream (SPEC section 4).</summary>
    MlpOutput,

    /// <summary>The residual stream after the block (its input to the next block or to <c>ln_f</c>).</summary>
    ResidualAfterBlock,
}

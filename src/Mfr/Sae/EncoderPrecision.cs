namespace Mfr.Sae;

/// <summary>How the SAE encoder finds each sample's TopK (issue 16 item 4). Either way the selected latents and their pre-activations are fp32's.</summary>
public enum EncoderPrecision
{
    /// <summary>The dense fp32 product <c>x W^T + b</c>, then TopK (the default).</summary>
    Fp32,

    /// <summary>
    /// Opt-in: 8-bit integer products with a proven error bound select candidates, whose pre-activations are recomputed
    /// in fp32 (<see cref="Numerics.Int8SelectReference"/>). Same latents as fp32 (ties within fp32 rounding aside);
    /// the dense pre-activations are not formed, so AuxK (which reads the dead latents' ones) cannot run with it.
    /// </summary>
    Int8Select,
}

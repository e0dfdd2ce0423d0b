namespace Mfr.Interop;

/// <summary>The on-disk layouts of one SAE folder Mfr reads and writes.</summary>
public enum SaeLayout
{
    /// <summary>Mfr's own: cfg.json with an "mfr" block + sae.safetensors (W_enc, b_enc, W_dec, b_dec).</summary>
    Mfr,

    /// <summary>SAELens v6: cfg.json + sae_weights.safetensors (+ sparsity.safetensors).</summary>
    SaeLens,

    /// <summary>EleutherAI sparsify: cfg.json + sae.safetensors (encoder.weight, encoder.bias, W_dec, b_dec).</summary>
    Sparsify,
}

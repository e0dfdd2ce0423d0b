namespace Mfr.Sae;

/// <summary>
/// Shape and kind of one TopK SAE (SPEC 1): tied weights W <c>[LatentCount, InputDim]</c>, encoder
/// bias b, decoder rows W_j / ||W_j||.
/// </summary>
/// <param name="InputDim">d, width of the input vectors.</param>
/// <param name="LatentCount">h, number of latents (dictionary size).</param>
/// <param name="K">k, latents kept per sample.</param>
/// <param name="Activation">TopK (default, as the paper's code) or TopK followed by ReLU.</param>
/// <param name="UseDecoderBias">Subtract a learned b_dec before encoding and add it after decoding (an extension; the paper has none).</param>
public sealed record SaeConfig(int InputDim, int LatentCount, int K, SaeActivation Activation = SaeActivation.TopK, bool UseDecoderBias = false)
{
    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid shape.</summary>
    public void Validate()
    {
        if (InputDim < 1) throw new ArgumentException($"Input dimension must be at least 1, got {InputDim}.");
        if (LatentCount < 1) throw new ArgumentException($"Latent count must be at least 1, got {LatentCount}.");
        if (K < 1 || K > LatentCount) throw new ArgumentException($"k must be between 1 and the latent count {LatentCount}, got {K}.");
    }

    /// <summary>The shape in the terms of cfg.json and the flags ("d 16, h 24, k 4, topk"), for messages: not the record's .NET rendering.</summary>
    public string Describe() =>
        $"d {InputDim}, h {LatentCount}, k {K}, {(Activation == SaeActivation.TopKRelu ? "topk-relu" : "topk")}{(UseDecoderBias ? ", decoder bias" : "")}";
}

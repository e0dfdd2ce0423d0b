namespace Mfr.Sae;

/// <summary>What happens to the pre-activations after the encoder (SPEC 1).</summary>
public enum SaeActivation
{
    /// <summary>Keep the k largest pre-activations, even negative ones (the paper's published code).</summary>
    TopK,

    /// <summary>TopK followed by ReLU (Gao et al. 2024; SAELens' TopK).</summary>
    TopKRelu,
}

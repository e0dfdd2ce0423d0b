namespace Mfr.Gpt2;

/// <summary>
/// The parameters of one GPT-2 block, as <see cref="Gpt2Weights"/> stores them. Hugging Face keeps
/// the linear layers as Conv1D with weight <c>[in, out]</c> (<c>y = x W + b</c>); they are stored
/// transposed, <c>[out, in]</c>, so every layer is <c>Gemm.MultiplyTransposed(x [T, in], W [out, in])</c>.
/// C is <see cref="Gpt2Config.EmbeddingDim"/>.
/// </summary>
public enum Gpt2BlockParameter
{
    /// <summary><c>h.{i}.ln_1.weight</c>, <c>[C]</c>.</summary>
    LayerNorm1Weight,

    /// <summary><c>h.{i}.ln_1.bias</c>, <c>[C]</c>.</summary>
    LayerNorm1Bias,

    /// <summary><c>h.{i}.attn.c_attn.weight</c> transposed, <c>[3C, C]</c>: query, key, value rows in that order.</summary>
    AttentionQkvWeight,

    /// <summary><c>h.{i}.attn.c_attn.bias</c>, <c>[3C]</c>.</summary>
    AttentionQkvBias,

    /// <summary><c>h.{i}.attn.c_proj.weight</c> transposed, <c>[C, C]</c>.</summary>
    AttentionProjectionWeight,

    /// <summary><c>h.{i}.attn.c_proj.bias</c>, <c>[C]</c>.</summary>
    AttentionProjectionBias,

    /// <summary><c>h.{i}.ln_2.weight</c>, <c>[C]</c>.</summary>
    LayerNorm2Weight,

    /// <summary><c>h.{i}.ln_2.bias</c>, <c>[C]</c>.</summary>
    LayerNorm2Bias,

    /// <summary><c>h.{i}.mlp.c_fc.weight</c> transposed, <c>[4C, C]</c>.</summary>
    MlpInputWeight,

    /// <summary><c>h.{i}.mlp.c_fc.bias</c>, <c>[4C]</c>.</summary>
    MlpInputBias,

    /// <summary><c>h.{i}.mlp.c_proj.weight</c> transposed, <c>[C, 4C]</c>.</summary>
    MlpOutputWeight,

    /// <summary><c>h.{i}.mlp.c_proj.bias</c>, <c>[C]</c>.</summary>
    MlpOutputBias,
}

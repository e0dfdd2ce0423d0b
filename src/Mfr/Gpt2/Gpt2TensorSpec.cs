namespace Mfr.Gpt2;

/// <summary>
/// One parameter tensor of a GPT-2 model: its Hugging Face name (without the optional
/// <c>transformer.</c> prefix) and shape in the file, and where <see cref="Gpt2Weights"/> keeps it.
/// </summary>
/// <param name="Name">Hugging Face name, e.g. <c>h.0.attn.c_attn.weight</c>.</param>
/// <param name="FileShape">Shape in the file; for a Conv1D weight <c>[in, out]</c>.</param>
/// <param name="IsConv1DWeight">Stored transposed, <c>[out, in]</c>.</param>
/// <param name="Offset">First float in the weights buffer (a multiple of 16, so 64-byte aligned).</param>
internal sealed record Gpt2TensorSpec(string Name, long[] FileShape, bool IsConv1DWeight, long Offset)
{
    /// <summary>Number of floats.</summary>
    public int Length => (int)FileShape.Aggregate(1L, (product, dimension) => product * dimension);

    /// <summary>The shape as text, e.g. <c>[768, 2304]</c>.</summary>
    public static string Format(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}

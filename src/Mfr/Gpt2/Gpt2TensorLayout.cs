namespace Mfr.Gpt2;

/// <summary>
/// Every parameter tensor of a GPT-2 model of a given <see cref="Gpt2Config"/>, in Hugging Face file
/// order, with its place in the single weights buffer (STYLE.md 9: one owner, named views).
/// </summary>
internal sealed class Gpt2TensorLayout
{
    private const int AlignmentFloats = 16;
    private static readonly int BlockParameterCount = Enum.GetValues<Gpt2BlockParameter>().Length;

    private readonly Gpt2TensorSpec[] blockTensors;

    public Gpt2TensorLayout(Gpt2Config config)
    {
        config.Validate();
        Config = config;
        long c = config.EmbeddingDim;
        long offset = 0;
        var tensors = new List<Gpt2TensorSpec>();
        Gpt2TensorSpec Add(string name, bool isConv1DWeight, params long[] shape)
        {
            var spec = new Gpt2TensorSpec(name, shape, isConv1DWeight, offset);
            offset += (spec.Length + AlignmentFloats - 1) / AlignmentFloats * AlignmentFloats;
            tensors.Add(spec);
            return spec;
        }

        TokenEmbedding = Add("wte.weight", false, config.VocabularySize, c);
        PositionEmbedding = Add("wpe.weight", false, config.ContextLength, c);
        blockTensors = new Gpt2TensorSpec[config.LayerCount * BlockParameterCount];
        for (int layer = 0; layer < config.LayerCount; layer++)
        {
            string prefix = $"h.{layer}.";
            var block = blockTensors.AsSpan(layer * BlockParameterCount, BlockParameterCount);
            block[(int)Gpt2BlockParameter.LayerNorm1Weight] = Add(prefix + "ln_1.weight", false, c);
            block[(int)Gpt2BlockParameter.LayerNorm1Bias] = Add(prefix + "ln_1.bias", false, c);
            block[(int)Gpt2BlockParameter.AttentionQkvWeight] = Add(prefix + "attn.c_attn.weight", true, c, 3 * c);
            block[(int)Gpt2BlockParameter.AttentionQkvBias] = Add(prefix + "attn.c_attn.bias", false, 3 * c);
            block[(int)Gpt2BlockParameter.AttentionProjectionWeight] = Add(prefix + "attn.c_proj.weight", true, c, c);
            block[(int)Gpt2BlockParameter.AttentionProjectionBias] = Add(prefix + "attn.c_proj.bias", false, c);
            block[(int)Gpt2BlockParameter.LayerNorm2Weight] = Add(prefix + "ln_2.weight", false, c);
            block[(int)Gpt2BlockParameter.LayerNorm2Bias] = Add(prefix + "ln_2.bias", false, c);
            block[(int)Gpt2BlockParameter.MlpInputWeight] = Add(prefix + "mlp.c_fc.weight", true, c, 4 * c);
            block[(int)Gpt2BlockParameter.MlpInputBias] = Add(prefix + "mlp.c_fc.bias", false, 4 * c);
            block[(int)Gpt2BlockParameter.MlpOutputWeight] = Add(prefix + "mlp.c_proj.weight", true, 4 * c, c);
            block[(int)Gpt2BlockParameter.MlpOutputBias] = Add(prefix + "mlp.c_proj.bias", false, c);
        }
        FinalNormWeight = Add("ln_f.weight", false, c);
        FinalNormBias = Add("ln_f.bias", false, c);
        Tensors = tensors;
        TotalLength = offset;
    }

    public Gpt2Config Config { get; }

    /// <summary>All tensors in Hugging Face order.</summary>
    public IReadOnlyList<Gpt2TensorSpec> Tensors { get; }

    /// <summary>Floats in the weights buffer, padding included.</summary>
    public long TotalLength { get; }

    public Gpt2TensorSpec TokenEmbedding { get; }

    public Gpt2TensorSpec PositionEmbedding { get; }

    public Gpt2TensorSpec FinalNormWeight { get; }

    public Gpt2TensorSpec FinalNormBias { get; }

    public Gpt2TensorSpec Block(int layer, Gpt2BlockParameter parameter) =>
        blockTensors[layer * BlockParameterCount + (int)parameter];
}

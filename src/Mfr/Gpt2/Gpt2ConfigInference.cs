namespace Mfr.Gpt2;

/// <summary>
/// The <see cref="Gpt2Config"/> of a Hugging Face GPT-2 file without config.json, read off the tensor
/// shapes. The head count is in no shape; GPT-2 uses 64-wide heads at every size (Small 12 x 64,
/// Medium 16 x 64, Large 20 x 64, XL 25 x 64), so <c>n_head = n_embd / 64</c> for those four widths.
/// Any other width is refused: a model that is not one of OpenAI's four may use other heads, and a wrong
/// head count gives wrong activations without any error. <see cref="Describe"/> says what was assumed.
/// </summary>
internal static class Gpt2ConfigInference
{
    public const int AssumedHeadDim = 64;

    /// <summary>The widths of OpenAI's GPT-2 checkpoints and their names (Radford et al. 2019, table 2).</summary>
    private static readonly (int Width, string Name)[] KnownSizes = [(768, "GPT-2 Small"), (1024, "GPT-2 Medium"), (1280, "GPT-2 Large"), (1600, "GPT-2 XL")];

    /// <summary>One line saying what <see cref="FromShapes"/> assumed for <paramref name="config"/>.</summary>
    public static string Describe(Gpt2Config config) =>
        $"no config.json: n_head = {config.HeadCount} assumed from n_embd = {config.EmbeddingDim} ({KnownSizes.Single(s => s.Width == config.EmbeddingDim).Name}, {AssumedHeadDim}-wide heads)";

    public static Gpt2Config FromShapes(IGpt2TensorSource source, string prefix)
    {
        var tokenEmbedding = MatrixShape(source, prefix + "wte.weight");
        var positionEmbedding = MatrixShape(source, prefix + "wpe.weight");
        int layerCount = 0;
        while (source.Contains($"{prefix}h.{layerCount}.ln_1.weight")) layerCount++;
        if (layerCount == 0)
            throw new InvalidDataException($"{source.Description}: no transformer blocks ('{prefix}h.0.ln_1.weight' is missing).");
        int width = tokenEmbedding.Columns;
        if (!KnownSizes.Any(size => size.Width == width))
            throw new InvalidDataException(
                $"{source.Description}: no config.json, and n_embd = {width} is not a GPT-2 width ({string.Join(", ", KnownSizes.Select(s => s.Width))}), " +
                "so the head count cannot be inferred; put a config.json with n_head beside the weights.");
        return new Gpt2Config
        {
            VocabularySize = tokenEmbedding.Rows,
            ContextLength = positionEmbedding.Rows,
            EmbeddingDim = width,
            LayerCount = layerCount,
            HeadCount = width / AssumedHeadDim,
        };
    }

    private static (int Rows, int Columns) MatrixShape(IGpt2TensorSource source, string name)
    {
        if (!source.Contains(name)) throw new InvalidDataException($"{source.Description}: tensor '{name}' is missing.");
        var shape = source.GetShape(name);
        if (shape.Count != 2 || shape[0] <= 0 || shape[1] <= 0 || shape[0] > int.MaxValue || shape[1] > int.MaxValue)
            throw new InvalidDataException($"{source.Description}: tensor '{name}' has shape {Gpt2TensorSpec.Format(shape)}, expected a 2-D matrix.");
        return ((int)shape[0], (int)shape[1]);
    }
}

using Mfr.IO;

namespace Mfr.Gpt2;

/// <summary>What <see cref="ActivationExtraction.Extract"/> wrote.</summary>
/// <param name="Path">The .npy file of activations, <c>[tokens, n_embd]</c>.</param>
/// <param name="TokenCount">Rows written.</param>
/// <param name="Dimension">n_embd.</param>
public sealed record ActivationFile(string Path, long TokenCount, int Dimension);

/// <summary>
/// Extracts a hook point's activations (SPEC 4: the block-0 MLP output, before it joins the
/// residual stream) for a stream of tokens, cut into non-overlapping windows of the context length,
/// into an .npy file that any data source (ours, numpy, TransformerLens users) can read. Only the
/// blocks up to the hook run.
/// </summary>
public static class ActivationExtraction
{
    /// <summary>Runs the model over the first <paramref name="tokenBudget"/> tokens from <paramref name="firstToken"/> and writes the activations.</summary>
    public static ActivationFile Extract(Gpt2Model model, ReadOnlySpan<ushort> tokens, long firstToken, long tokenBudget, int contextLength, int layer, Gpt2HookPoint point,
        string outputPath, IProgress<long>? progress = null, CancellationToken cancellation = default)
    {
        // Checked before the output file exists, and with the length asked for (a window is shorter at the budget's end).
        model.ThrowIfNotAContextLength(contextLength);
        model.ThrowIfNotABlock(layer);
        var windows = TokenWindows.Cut(tokens, firstToken, tokenBudget, contextLength);
        int dimension = model.Config.EmbeddingDim;
        using var workspace = model.CreateWorkspace();
        var activations = new float[contextLength * dimension];
        using var writer = new NpyStreamWriter(outputPath, dimension);
        var window = new int[contextLength];
        long written = 0;
        foreach (var (start, length) in windows)
        {
            cancellation.ThrowIfCancellationRequested();
            for (int t = 0; t < length; t++) window[t] = tokens[(int)(start + t)];
            model.RunToLayer(window.AsSpan(0, length), 1, length, layer, point, workspace, activations.AsSpan(0, length * dimension));
            writer.Append(activations.AsSpan(0, length * dimension));
            written += length;
            progress?.Report(written);
        }
        writer.Complete();
        return new ActivationFile(outputPath, written, dimension);
    }
}

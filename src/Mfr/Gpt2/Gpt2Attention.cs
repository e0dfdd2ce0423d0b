using Mfr.Numerics;

namespace Mfr.Gpt2;

/// <summary>
/// Causal multi-head self-attention of GPT-2 (Hugging Face <c>GPT2Attention._attn</c>):
/// per sequence and head, <c>softmax(Q K^T / sqrt(D) + causal mask) V</c>. Legend: B sequences of T
/// tokens, H heads of width D, C = H D. Query rows are taken in blocks of
/// <see cref="Gpt2Workspace.QueryBlockRows"/>; a block only multiplies with the keys at or before its
/// last row (the later ones are masked anyway), which skips about half of the work at T = 1024, and
/// the score buffer stays <c>[block, T]</c>. Both products go through <see cref="Gemm.MultiplyTransposed"/>:
/// <c>S = Q K^T</c> with K <c>[keys, D]</c>, and <c>O = P V = P (V^T)^T</c> with V kept transposed,
/// <c>[D, keys]</c>, so the long key axis is the inner dimension (8x faster than <c>Gemm.Multiply</c> with a
/// 64-wide output on the reference Gemm; the same work for a packed one).
/// </summary>
internal static class Gpt2Attention
{
    /// <summary>Attention output of every head, concatenated.</summary>
    /// <param name="workspace">Input <see cref="Gpt2Workspace.QueryKeyValue"/> <c>[B T, 3C]</c>, output
    /// <see cref="Gpt2Workspace.AttentionValues"/> <c>[B T, C]</c>.</param>
    /// <param name="config">Model shape (H, D).</param>
    /// <param name="batchSize">B.</param>
    /// <param name="sequenceLength">T.</param>
    public static void Run(Gpt2Workspace workspace, Gpt2Config config, int batchSize, int sequenceLength)
    {
        int T = sequenceLength, H = config.HeadCount, D = config.HeadDim, C = config.EmbeddingDim;
        var heads = workspace.Heads;
        long headsPlane = (long)H * T * D;
        for (int b = 0; b < batchSize; b++)
        {
            SplitHeads(workspace, config, b, T);
            for (int h = 0; h < H; h++)
            {
                long headStart = (long)h * T * D;
                for (int rowStart = 0; rowStart < T; rowStart += Gpt2Workspace.QueryBlockRows)
                {
                    int rows = Math.Min(Gpt2Workspace.QueryBlockRows, T - rowStart);
                    int keys = rowStart + rows;
                    var scores = workspace.Scores.Slice(0, rows * keys);
                    Gemm.MultiplyTransposed(
                        heads.Slice(headStart + (long)rowStart * D, rows * D),
                        heads.Slice(headsPlane + headStart, keys * D),
                        rows, keys, D, scores);
                    SoftmaxCausal(workspace.Scores, rows, keys, rowStart);
                    var output = workspace.HeadOutput.Slice(0, rows * D);
                    Gemm.MultiplyTransposed(workspace.Scores.Slice(0, rows * keys), TransposedValues(workspace, headsPlane, headStart, T, D, keys), rows, D, keys, output);
                    for (int row = 0; row < rows; row++)
                    {
                        output.Slice(row * D, D).CopyTo(
                            workspace.AttentionValues.Slice(((long)b * T + rowStart + row) * C + h * D, D));
                    }
                }
            }
        }
    }

    // V^T of the first `keys` positions, [D, keys]: the head's stored V^T [D, T] when keys = T, else a copy
    // of the leading columns (D * keys floats, against 2 * rows * keys * D flops of the product).
    private static Span<float> TransposedValues(Gpt2Workspace workspace, long headsPlane, long headStart, int T, int D, int keys)
    {
        var stored = workspace.Heads.Slice(2 * headsPlane + headStart, T * D);
        if (keys == T) return stored;
        var prefix = workspace.ValueBlock.Slice(0, D * keys);
        for (int d = 0; d < D; d++) stored.Slice(d * T, keys).CopyTo(prefix.Slice(d * keys, keys));
        return prefix;
    }

    // Row j of the block is query position rowStart + j: it sees keys 0..rowStart + j.
    private static void SoftmaxCausal(AlignedBuffer scores, int rows, int keys, int rowStart)
    {
        Gpt2Parallel.ForRows(rows, keys, (first, end) =>
        {
            for (int row = first; row < end; row++) Gpt2Kernels.SoftmaxInPlace(scores.Slice((long)row * keys, keys), rowStart + row + 1);
        });
    }

    // Sequence b's rows of [T, 3C] into Q [H, T, D], K [H, T, D], V^T [H, D, T]: contiguous per head, so
    // each product reads plain matrices; Q is scaled by 1/sqrt(D) here (GPT2Attention divides the scores).
    private static void SplitHeads(Gpt2Workspace workspace, Gpt2Config config, int b, int T)
    {
        int H = config.HeadCount, D = config.HeadDim, C = config.EmbeddingDim;
        float scale = 1f / MathF.Sqrt(D);
        long headsPlane = (long)H * T * D;
        var qkv = workspace.QueryKeyValue;
        var heads = workspace.Heads;
        Gpt2Parallel.ForRows(T, 3 * C, (first, end) =>
        {
            for (int t = first; t < end; t++)
            {
                var row = qkv.Slice(((long)b * T + t) * 3 * C, 3 * C);
                for (int part = 0; part < 3; part++)
                {
                    for (int h = 0; h < H; h++)
                    {
                        var source = row.Slice(part * C + h * D, D);
                        if (part == 2)
                        {
                            var valuesTransposed = heads.Slice(part * headsPlane + (long)h * T * D, T * D);
                            for (int d = 0; d < D; d++) valuesTransposed[d * T + t] = source[d];
                            continue;
                        }
                        var destination = heads.Slice(part * headsPlane + ((long)h * T + t) * D, D);
                        if (part == 0)
                        {
                            for (int i = 0; i < D; i++) destination[i] = source[i] * scale;
                        }
                        else
                        {
                            source.CopyTo(destination);
                        }
                    }
                }
            }
        });
    }
}

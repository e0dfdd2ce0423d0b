using Mfr.Numerics;

namespace Mfr.Gpt2;

/// <summary>
/// Causal multi-head self-attention of GPT-2 (Hugging Face <c>GPT2Attention._attn</c>):
/// per sequence and head, <c>softmax(Q K^T / sqrt(D) + causal mask) V</c>. Legend: B sequences of T
/// tokens, H heads of width D, C = H D. Query rows are taken in blocks of
/// <see cref="Gpt2Workspace.QueryBlockRows"/>; a block only multiplies with the keys at or before its
/// last row (the later ones are masked anyway), which skips about half of the work at T = 1024, and
/// the score buffer stays <c>[block, T]</c>. Both products go through <see cref="Gemm"/>:
/// <c>S = Q K^T</c> with K <c>[keys, D]</c>, and <c>O = P V = P (V^T)^T</c> with V kept transposed,
/// <c>[D, keys]</c>, so the long key axis is the inner dimension.
/// </summary>
/// <remarks>
/// The (head, query block) pairs of a sequence are independent, so they are the parallel parts (12 x 8
/// at GPT-2 Small's shape), each on one thread with its products single-threaded, largest blocks first
/// so the threads finish together. Splitting every small product over the threads instead made each
/// pay a fork-join and a packing of its own. The products' sums do not depend on the thread count
/// (<see cref="Gemm"/>), so neither does the output.
/// </remarks>
internal static unsafe class Gpt2Attention
{
    /// <summary>Attention output of every head, concatenated.</summary>
    /// <param name="workspace">Input <see cref="Gpt2Workspace.QueryKeyValue"/> <c>[B T, 3C]</c>, output
    /// <see cref="Gpt2Workspace.AttentionValues"/> <c>[B T, C]</c>.</param>
    /// <param name="config">Model shape (H, D).</param>
    /// <param name="batchSize">B.</param>
    /// <param name="sequenceLength">T.</param>
    public static void Run(Gpt2Workspace workspace, Gpt2Config config, int batchSize, int sequenceLength)
    {
        int T = sequenceLength, H = config.HeadCount, C = config.EmbeddingDim;
        int blocks = (T + Gpt2Workspace.QueryBlockRows - 1) / Gpt2Workspace.QueryBlockRows;
        for (int b = 0; b < batchSize; b++)
        {
            SplitHeads(workspace, config, b, T);
            var work = new HeadBlocks
            {
                Heads = workspace.Heads.Pointer,
                Output = workspace.AttentionValues.Pointer + (long)b * T * C,
                SequenceLength = T,
                HeadCount = H,
                HeadDim = config.HeadDim,
                BlockCount = blocks,
            };
            WorkerPool.Run(ref work, H * blocks, Parallelism.MaxThreads);
        }
    }

    /// <summary>One part: query block <c>BlockCount - 1 - part / H</c> of head <c>part % H</c>.</summary>
    private struct HeadBlocks : IParallelWork
    {
        public float* Heads, Output;
        public int SequenceLength, HeadCount, HeadDim, BlockCount;

        public readonly void Execute(int part)
        {
            int T = SequenceLength, D = HeadDim, C = HeadCount * D;
            int head = part % HeadCount, block = BlockCount - 1 - part / HeadCount;
            int rowStart = block * Gpt2Workspace.QueryBlockRows;
            int rows = Math.Min(Gpt2Workspace.QueryBlockRows, T - rowStart);
            int keys = rowStart + rows;
            long headsPlane = (long)HeadCount * T * D, headStart = (long)head * T * D;
            // This thread's scratch: scores [rows, keys], V^T prefix [D, keys], output [rows, D].
            float* scores = ScratchBuffers.Get(ScratchBuffers.PartLocal, (long)rows * keys + (long)D * keys + (long)rows * D);
            float* valuesPrefix = scores + (long)rows * keys, output = valuesPrefix + (long)D * keys;
            var scoreSpan = new Span<float>(scores, rows * keys);
            Gemm.MultiplyTransposedWith(
                new ReadOnlySpan<float>(Heads + headStart + (long)rowStart * D, rows * D),
                new ReadOnlySpan<float>(Heads + headsPlane + headStart, keys * D),
                rows, keys, D, scoreSpan, accumulate: false, KernelRegistry.Gemm.Selected, maxThreads: 1);
            // Row j of the block is query position rowStart + j: it sees keys 0..rowStart + j.
            for (int row = 0; row < rows; row++) KernelRegistry.Gpt2.Selected.SoftmaxInPlace(scoreSpan.Slice(row * keys, keys), rowStart + row + 1);
            // V^T of the first `keys` positions, [D, keys]: the stored V^T [D, T] when keys = T, else the leading columns.
            float* valuesTransposed = Heads + 2 * headsPlane + headStart;
            if (keys < T)
            {
                for (int d = 0; d < D; d++) new ReadOnlySpan<float>(valuesTransposed + (long)d * T, keys).CopyTo(new Span<float>(valuesPrefix + (long)d * keys, keys));
                valuesTransposed = valuesPrefix;
            }
            Gemm.MultiplyTransposedWith(scoreSpan, new ReadOnlySpan<float>(valuesTransposed, D * keys), rows, D, keys, new Span<float>(output, rows * D),
                accumulate: false, KernelRegistry.Gemm.Selected, maxThreads: 1);
            for (int row = 0; row < rows; row++)
                new ReadOnlySpan<float>(output + (long)row * D, D).CopyTo(new Span<float>(Output + (long)(rowStart + row) * C + head * D, D));
        }
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

using Mfr.Numerics;

namespace Mfr.Gpt2;

/// <summary>
/// Activation buffers for <see cref="Gpt2Model"/> calls, allocated on first use and grown only when a
/// call needs more, so repeated calls of the same size allocate nothing. Not thread-safe: one per
/// thread (each call already uses every core through <see cref="Parallelism.MaxThreads"/>).
/// Memory is about <c>11 EmbeddingDim</c> floats per token of a call, plus
/// <c>3 EmbeddingDim</c> per position of the longest sequence, plus 2048 per token for the loss
/// (GPT-2 Small, one sequence of 1024 tokens: about 53 MB); attention scores live in each thread's
/// scratch memory (<c>[QueryBlockRows, T]</c>).
/// </summary>
public sealed class Gpt2Workspace : IDisposable
{
    /// <summary>Query rows whose attention scores are computed together (bounds the score buffer).</summary>
    internal const int QueryBlockRows = 128;

    /// <summary>
    /// Vocabulary rows whose logits are computed together in <see cref="Gpt2Model.ComputeLoss"/>. Slicing
    /// bounds the logits buffer (<c>[tokens, 2048]</c>, 8 MB per 1024 tokens, instead of 206 MB for all
    /// 50,257); wide slices keep the unembedding efficient, as a packed Gemm repacks the positions once per
    /// call (measured on GPT-2 Small, 1024 tokens, one thread: 256 rows 0.66 CPU-s, 1024 rows 0.58, 4096 rows 0.50).
    /// </summary>
    internal const int VocabularySliceRows = 2048;

    private readonly List<AlignedBuffer> owned = [];
    private int tokenCapacity;
    private int sequenceCapacity;

    /// <summary>Creates an empty workspace for models of shape <paramref name="config"/>.</summary>
    /// <param name="config">The model shape.</param>
    public Gpt2Workspace(Gpt2Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
    }

    /// <summary>The model shape the buffers are sized for.</summary>
    public Gpt2Config Config { get; }

    /// <summary>Residual stream, <c>[tokens, C]</c>.</summary>
    internal AlignedBuffer Residual { get; private set; } = null!;

    /// <summary>LayerNorm output, <c>[tokens, C]</c>.</summary>
    internal AlignedBuffer Normed { get; private set; } = null!;

    /// <summary>Query, key and value, <c>[tokens, 3C]</c>.</summary>
    internal AlignedBuffer QueryKeyValue { get; private set; } = null!;

    /// <summary>Heads of one sequence: query (pre-scaled) and key <c>[heads, T, headDim]</c>, value transposed <c>[heads, headDim, T]</c>.</summary>
    internal AlignedBuffer Heads { get; private set; } = null!;




    /// <summary>Attention heads concatenated, <c>[tokens, C]</c>.</summary>
    internal AlignedBuffer AttentionValues { get; private set; } = null!;

    /// <summary>Output of the current sublayer (attention or MLP), <c>[tokens, C]</c>.</summary>
    internal AlignedBuffer SublayerOutput { get; private set; } = null!;

    /// <summary>MLP hidden layer, <c>[tokens, 4C]</c>.</summary>
    internal AlignedBuffer MlpHidden { get; private set; } = null!;

    /// <summary>Logits of every position for one vocabulary slice, <c>[tokens, VocabularySliceRows]</c> (allocated by the loss only).</summary>
    internal AlignedBuffer? Logits { get; private set; }

    /// <summary>Per position: running maximum of the logits (online log-sum-exp).</summary>
    internal float[] RunningMax { get; private set; } = [];

    /// <summary>Per position: running sum of exp(logit - running maximum).</summary>
    internal double[] RunningSum { get; private set; } = [];

    /// <summary>Per position: the next token, or -1 at the last position of a sequence.</summary>
    internal int[] Targets { get; private set; } = [];

    /// <summary>Per position: the logit of <see cref="Targets"/>.</summary>
    internal float[] TargetLogits { get; private set; } = [];

    /// <summary>Makes every buffer large enough for <paramref name="tokenCount"/> tokens in sequences of <paramref name="sequenceLength"/>.</summary>
    internal void EnsureCapacity(int tokenCount, int sequenceLength)
    {
        if (tokenCount <= tokenCapacity && sequenceLength <= sequenceCapacity) return;
        FreeActivations();
        tokenCapacity = Math.Max(tokenCount, tokenCapacity);
        sequenceCapacity = Math.Max(sequenceLength, sequenceCapacity);
        long c = Config.EmbeddingDim;
        Residual = Allocate(tokenCapacity * c);
        Normed = Allocate(tokenCapacity * c);
        QueryKeyValue = Allocate(tokenCapacity * 3 * c);
        Heads = Allocate(3L * sequenceCapacity * c);
        AttentionValues = Allocate(tokenCapacity * c);
        SublayerOutput = Allocate(tokenCapacity * c);
        MlpHidden = Allocate(tokenCapacity * 4 * c);
        RunningMax = new float[tokenCapacity];
        RunningSum = new double[tokenCapacity];
        Targets = new int[tokenCapacity];
        TargetLogits = new float[tokenCapacity];
        Logits?.Dispose();
        Logits = null;
    }

    /// <summary>Allocates the logits slice buffer on first use (after <see cref="EnsureCapacity"/>).</summary>
    internal AlignedBuffer EnsureLogits() => Logits ??= new AlignedBuffer((long)tokenCapacity * VocabularySliceRows);

    /// <summary>Frees every buffer.</summary>
    public void Dispose()
    {
        FreeActivations();
        tokenCapacity = 0;
        sequenceCapacity = 0;
        Logits?.Dispose();
        Logits = null;
    }

    private AlignedBuffer Allocate(long length)
    {
        var buffer = new AlignedBuffer(length);
        owned.Add(buffer);
        return buffer;
    }

    private void FreeActivations()
    {
        foreach (var buffer in owned) buffer.Dispose();
        owned.Clear();
    }
}

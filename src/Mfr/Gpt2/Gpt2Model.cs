using Mfr.Numerics;

namespace Mfr.Gpt2;

/// <summary>
/// GPT-2's forward pass in fp32 on the CPU, following Hugging Face <c>GPT2LMHeadModel</c> exactly:
/// token + position embeddings; pre-LayerNorm blocks <c>x += attn(ln_1(x)); x += mlp(ln_2(x))</c> with
/// causal multi-head attention and the tanh GELU; final <c>ln_f</c>; logits <c>ln_f(x) wte^T</c>. A call
/// runs B sequences of T tokens together (row <c>b T + t</c>), multithreaded over
/// <see cref="Parallelism.MaxThreads"/>; every matrix product goes through <see cref="Gemm"/>.
/// Hooks (<see cref="Gpt2ActivationHook"/>) read or replace the attention output, MLP output and residual
/// stream of any block; <see cref="RunToLayer"/> stops as soon as the requested activations exist.
/// Thread-safe given one <see cref="Gpt2Workspace"/> per thread.
/// </summary>
public sealed class Gpt2Model
{
    /// <summary>Wraps loaded weights (the model does not own them; dispose the weights yourself).</summary>
    /// <param name="weights">The parameters.</param>
    public Gpt2Model(Gpt2Weights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Weights = weights;
    }

    /// <summary>The parameters.</summary>
    public Gpt2Weights Weights { get; }

    /// <summary>The model shape.</summary>
    public Gpt2Config Config => Weights.Config;

    /// <summary>A workspace sized lazily for this model.</summary>
    public Gpt2Workspace CreateWorkspace() => new(Config);

    /// <summary>Logits of every position of every sequence.</summary>
    /// <param name="tokens">Token ids, <c>[batchSize, sequenceLength]</c>, each in <c>[0, VocabularySize)</c>.</param>
    /// <param name="batchSize">Sequences B (at least 1).</param>
    /// <param name="sequenceLength">Tokens per sequence T, in <c>[1, ContextLength]</c>.</param>
    /// <param name="workspace">Buffers for this call (see <see cref="Gpt2Workspace"/>).</param>
    /// <param name="logits">Output, <c>[batchSize * sequenceLength, VocabularySize]</c>.</param>
    /// <param name="hook">Optional hook called at every hook point.</param>
    public void Forward(ReadOnlySpan<int> tokens, int batchSize, int sequenceLength, Gpt2Workspace workspace, Span<float> logits, Gpt2ActivationHook? hook = null)
    {
        int tokenCount = CheckInputs(tokens, batchSize, sequenceLength, workspace);
        long logitCount = (long)tokenCount * Config.VocabularySize;
        if (logits.Length != logitCount)
            throw new ArgumentException($"logits has {logits.Length} floats, expected [{tokenCount}, {Config.VocabularySize}] = {logitCount}.", nameof(logits));
        RunBlocks(tokens, batchSize, sequenceLength, workspace, hook, Config.LayerCount, Gpt2HookPoint.ResidualAfterBlock);
        FinalNorm(workspace, tokenCount);
        Gemm.MultiplyTransposed(workspace.Normed.Slice(0, tokenCount * Config.EmbeddingDim), Weights.TokenEmbedding,
            tokenCount, Config.VocabularySize, Config.EmbeddingDim, logits);
    }

    /// <summary>Refuses a sequence length the model's position embeddings do not cover.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside <c>[1, ContextLength]</c>.</exception>
    public void ThrowIfNotAContextLength(int sequenceLength)
    {
        if (sequenceLength < 1 || sequenceLength > Config.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, $"The context length (--context) must be in [1, {Config.ContextLength}], the model's context length; got {sequenceLength}.");
    }

    /// <summary>Refuses a block index the model does not have: a hook at such a block is never reached, so nothing would be replaced.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside <c>[0, LayerCount)</c>.</exception>
    public void ThrowIfNotABlock(int layer)
    {
        if ((uint)layer >= (uint)Config.LayerCount)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"The block (--layer) must be in 0..{Config.LayerCount - 1}, the model's blocks; got {layer}.");
    }

    /// <summary>
    /// Runs only blocks <c>0..layer</c>, up to <paramref name="point"/> of block <paramref name="layer"/>, and
    /// copies those activations out: activation extraction for an SAE (SPEC section 4: block 0, MLP output)
    /// costs one block, not the whole model. Later blocks and the unembedding are not run.
    /// </summary>
    /// <param name="tokens">Token ids, <c>[batchSize, sequenceLength]</c>.</param>
    /// <param name="batchSize">Sequences B.</param>
    /// <param name="sequenceLength">Tokens per sequence T, in <c>[1, ContextLength]</c>.</param>
    /// <param name="layer">Block whose activations are wanted, in <c>[0, LayerCount)</c>.</param>
    /// <param name="point">Which activations of that block.</param>
    /// <param name="workspace">Buffers for this call.</param>
    /// <param name="activations">Output, <c>[batchSize * sequenceLength, EmbeddingDim]</c>.</param>
    /// <param name="hook">Optional hook, called at the hook points that are reached (before the copy).</param>
    public void RunToLayer(ReadOnlySpan<int> tokens, int batchSize, int sequenceLength, int layer, Gpt2HookPoint point,
        Gpt2Workspace workspace, Span<float> activations, Gpt2ActivationHook? hook = null)
    {
        int tokenCount = CheckInputs(tokens, batchSize, sequenceLength, workspace);
        ThrowIfNotABlock(layer);
        int length = tokenCount * Config.EmbeddingDim;
        if (activations.Length != length)
            throw new ArgumentException($"activations has {activations.Length} floats, expected [{tokenCount}, {Config.EmbeddingDim}] = {length}.", nameof(activations));
        var result = RunBlocks(tokens, batchSize, sequenceLength, workspace, hook, layer, point);
        result.Slice(0, length).CopyTo(activations);
    }

    /// <summary>
    /// Mean next-token cross-entropy (Hugging Face <c>GPT2LMHeadModel</c> with <c>labels = input_ids</c>):
    /// position t of each sequence predicts token t + 1 through a stable log-softmax over the vocabulary.
    /// Logits are made a vocabulary slice at a time and folded into a running log-sum-exp per position, so the
    /// <c>[tokens, VocabularySize]</c> logits are never stored.
    /// </summary>
    /// <param name="tokens">Token ids, <c>[batchSize, sequenceLength]</c>.</param>
    /// <param name="batchSize">Sequences B.</param>
    /// <param name="sequenceLength">Tokens per sequence T, in <c>[2, ContextLength]</c>.</param>
    /// <param name="workspace">Buffers for this call.</param>
    /// <param name="hook">
    /// Optional hook; e.g. <see cref="Gpt2Hooks.ZeroAblate"/> of block 0's MLP output, or
    /// <see cref="Gpt2Hooks.Replace"/> splicing in an SAE reconstruction (loss recovered, SPEC section 4).
    /// </param>
    public Gpt2LossResult ComputeLoss(ReadOnlySpan<int> tokens, int batchSize, int sequenceLength, Gpt2Workspace workspace, Gpt2ActivationHook? hook = null)
    {
        int tokenCount = CheckInputs(tokens, batchSize, sequenceLength, workspace);
        if (sequenceLength < 2) throw new ArgumentException($"The loss needs sequences of at least 2 tokens (--context), got {sequenceLength}.", nameof(sequenceLength));
        RunBlocks(tokens, batchSize, sequenceLength, workspace, hook, Config.LayerCount, Gpt2HookPoint.ResidualAfterBlock);
        FinalNorm(workspace, tokenCount);

        return CrossEntropyOfNormed(tokens, batchSize, sequenceLength, workspace);
    }

    // Logits made a vocabulary slice at a time for every position (Gpt2Workspace.VocabularySliceRows rows
    // of wte per Gemm call), folded into a running log-sum-exp per position; all logits of a position are
    // never stored at once. The last position of each sequence has no target and is skipped.
    private Gpt2LossResult CrossEntropyOfNormed(ReadOnlySpan<int> tokens, int batchSize, int sequenceLength, Gpt2Workspace workspace)
    {
        int tokenCount = batchSize * sequenceLength;
        int C = Config.EmbeddingDim, V = Config.VocabularySize;
        var logits = workspace.EnsureLogits();
        float[] runningMax = workspace.RunningMax, targetLogits = workspace.TargetLogits;
        double[] runningSum = workspace.RunningSum;
        int[] targets = workspace.Targets;
        for (int row = 0; row < tokenCount; row++)
        {
            targets[row] = (row + 1) % sequenceLength == 0 ? -1 : tokens[row + 1];
            runningMax[row] = float.NegativeInfinity;
            runningSum[row] = 0;
        }
        var normed = workspace.Normed.Slice(0, tokenCount * C);
        var tokenEmbedding = Weights.TokenEmbedding;
        for (int sliceStart = 0; sliceStart < V; sliceStart += Gpt2Workspace.VocabularySliceRows)
        {
            int width = Math.Min(Gpt2Workspace.VocabularySliceRows, V - sliceStart);
            Gemm.MultiplyTransposed(normed, tokenEmbedding.Slice(sliceStart * C, width * C), tokenCount, width, C, logits.Slice(0, tokenCount * width));
            Gpt2Parallel.ForRows(tokenCount, width, (first, end) =>
            {
                for (int row = first; row < end; row++)
                {
                    var rowLogits = logits.Slice((long)row * width, width);
                    KernelRegistry.Gpt2.Selected.AccumulateLogSumExp(rowLogits, ref runningMax[row], ref runningSum[row]);
                    int target = targets[row] - sliceStart;
                    if ((uint)target < (uint)width) targetLogits[row] = rowLogits[target];
                }
            });
        }
        double total = 0;
        for (int row = 0; row < tokenCount; row++)
        {
            if (targets[row] >= 0) total += runningMax[row] + Math.Log(runningSum[row]) - targetLogits[row];
        }
        long predictions = (long)batchSize * (sequenceLength - 1);
        return new Gpt2LossResult(total / predictions, predictions);
    }

    // Embeddings, then blocks 0..stopLayer (all of them when stopLayer == LayerCount), stopping right after
    // stopPoint of block stopLayer. Returns the buffer holding the activations at the stop.
    private AlignedBuffer RunBlocks(ReadOnlySpan<int> tokens, int batchSize, int sequenceLength, Gpt2Workspace workspace,
        Gpt2ActivationHook? hook, int stopLayer, Gpt2HookPoint stopPoint)
    {
        int tokenCount = batchSize * sequenceLength;
        workspace.EnsureCapacity(tokenCount, sequenceLength);
        Embed(tokens, batchSize, sequenceLength, workspace.Residual.Span);
        for (int layer = 0; layer < Config.LayerCount; layer++)
        {
            var stop = RunBlock(layer, batchSize, sequenceLength, workspace, hook, layer == stopLayer ? stopPoint : null);
            if (stop != null) return stop;
        }
        return workspace.Residual;
    }

    private AlignedBuffer? RunBlock(int layer, int batchSize, int sequenceLength, Gpt2Workspace workspace, Gpt2ActivationHook? hook, Gpt2HookPoint? stopPoint)
    {
        int tokenCount = batchSize * sequenceLength;
        int C = Config.EmbeddingDim;
        int activationLength = tokenCount * C;

        LayerNorm(workspace.Residual, Gpt2BlockParameter.LayerNorm1Weight, Gpt2BlockParameter.LayerNorm1Bias, layer, tokenCount, workspace.Normed);
        Linear(workspace.Normed, layer, Gpt2BlockParameter.AttentionQkvWeight, Gpt2BlockParameter.AttentionQkvBias, tokenCount, C, 3 * C, workspace.QueryKeyValue);
        Gpt2Attention.Run(workspace, Config, batchSize, sequenceLength);
        Linear(workspace.AttentionValues, layer, Gpt2BlockParameter.AttentionProjectionWeight, Gpt2BlockParameter.AttentionProjectionBias, tokenCount, C, C, workspace.SublayerOutput);
        hook?.Invoke(Gpt2HookPoint.AttentionOutput, layer, workspace.SublayerOutput.Slice(0, activationLength));
        if (stopPoint == Gpt2HookPoint.AttentionOutput) return workspace.SublayerOutput;
        AddToResidual(workspace, tokenCount);

        LayerNorm(workspace.Residual, Gpt2BlockParameter.LayerNorm2Weight, Gpt2BlockParameter.LayerNorm2Bias, layer, tokenCount, workspace.Normed);
        Linear(workspace.Normed, layer, Gpt2BlockParameter.MlpInputWeight, Gpt2BlockParameter.MlpInputBias, tokenCount, C, 4 * C, workspace.MlpHidden);
        var hidden = workspace.MlpHidden;
        Gpt2Parallel.ForRows(tokenCount, 4 * C, (first, end) => KernelRegistry.Gpt2.Selected.GeluInPlace(hidden.Slice((long)first * 4 * C, (end - first) * 4 * C)));
        Linear(workspace.MlpHidden, layer, Gpt2BlockParameter.MlpOutputWeight, Gpt2BlockParameter.MlpOutputBias, tokenCount, 4 * C, C, workspace.SublayerOutput);
        hook?.Invoke(Gpt2HookPoint.MlpOutput, layer, workspace.SublayerOutput.Slice(0, activationLength));
        if (stopPoint == Gpt2HookPoint.MlpOutput) return workspace.SublayerOutput;
        AddToResidual(workspace, tokenCount);

        hook?.Invoke(Gpt2HookPoint.ResidualAfterBlock, layer, workspace.Residual.Slice(0, activationLength));
        return stopPoint == Gpt2HookPoint.ResidualAfterBlock ? workspace.Residual : null;
    }

    // x[b T + t] = wte[token] + wpe[t].
    private void Embed(ReadOnlySpan<int> tokens, int batchSize, int sequenceLength, Span<float> residual)
    {
        int C = Config.EmbeddingDim;
        var tokenEmbedding = Weights.TokenEmbedding;
        var positionEmbedding = Weights.PositionEmbedding;
        for (int b = 0; b < batchSize; b++)
        {
            for (int t = 0; t < sequenceLength; t++)
            {
                int row = b * sequenceLength + t;
                var destination = residual.Slice(row * C, C);
                tokenEmbedding.Slice(tokens[row] * C, C).CopyTo(destination);
                KernelRegistry.Gpt2.Selected.AddInPlace(positionEmbedding.Slice(t * C, C), destination);
            }
        }
    }

    private void LayerNorm(AlignedBuffer input, Gpt2BlockParameter weight, Gpt2BlockParameter bias, int layer, int tokenCount, AlignedBuffer output)
    {
        var weightSpec = Weights.Layout.Block(layer, weight);
        var biasSpec = Weights.Layout.Block(layer, bias);
        LayerNorm(input, weightSpec, biasSpec, tokenCount, output);
    }

    private void FinalNorm(Gpt2Workspace workspace, int tokenCount) =>
        LayerNorm(workspace.Residual, Weights.Layout.FinalNormWeight, Weights.Layout.FinalNormBias, tokenCount, workspace.Normed);

    private void LayerNorm(AlignedBuffer input, Gpt2TensorSpec weightSpec, Gpt2TensorSpec biasSpec, int tokenCount, AlignedBuffer output)
    {
        int C = Config.EmbeddingDim;
        float epsilon = Config.LayerNormEpsilon;
        var weights = Weights;
        Gpt2Parallel.ForRows(tokenCount, C, (first, end) =>
            KernelRegistry.Gpt2.Selected.LayerNorm(input.Slice((long)first * C, (end - first) * C), weights.View(weightSpec), weights.View(biasSpec),
                end - first, C, epsilon, output.Slice((long)first * C, (end - first) * C)));
    }

    // y [T, out] = x [T, in] W^T + b with W stored [out, in]: bias rows first, then the product accumulated onto them.
    private void Linear(AlignedBuffer input, int layer, Gpt2BlockParameter weight, Gpt2BlockParameter bias, int tokenCount, int inputDim, int outputDim, AlignedBuffer output)
    {
        var outputSpan = output.Slice(0, tokenCount * outputDim);
        KernelRegistry.Gpt2.Selected.BroadcastRows(Weights.GetBlockParameter(layer, bias), tokenCount, outputSpan);
        Gemm.MultiplyTransposed(input.Slice(0, tokenCount * inputDim), Weights.GetBlockParameter(layer, weight), tokenCount, outputDim, inputDim, outputSpan, accumulate: true);
    }

    private void AddToResidual(Gpt2Workspace workspace, int tokenCount)
    {
        int C = Config.EmbeddingDim;
        var residual = workspace.Residual;
        var sublayer = workspace.SublayerOutput;
        Gpt2Parallel.ForRows(tokenCount, C, (first, end) =>
            KernelRegistry.Gpt2.Selected.AddInPlace(sublayer.Slice((long)first * C, (end - first) * C), residual.Slice((long)first * C, (end - first) * C)));
    }

    private int CheckInputs(ReadOnlySpan<int> tokens, int batchSize, int sequenceLength, Gpt2Workspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Config != Config)
            throw new ArgumentException($"The workspace was made for {workspace.Config}, not this model's {Config}.", nameof(workspace));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "At least one sequence.");
        ThrowIfNotAContextLength(sequenceLength);
        long tokenCount = (long)batchSize * sequenceLength;
        if (tokens.Length != tokenCount)
            throw new ArgumentException($"tokens has {tokens.Length} ids, expected [{batchSize}, {sequenceLength}] = {tokenCount}.", nameof(tokens));
        if (tokenCount * 4 * Config.EmbeddingDim > int.MaxValue)
            throw new ArgumentException($"[{batchSize}, {sequenceLength}] tokens are too many for one call; split the batch.", nameof(batchSize));
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)Config.VocabularySize)
                throw new ArgumentException($"Token id {tokens[i]} at position {i} is outside the vocabulary [0, {Config.VocabularySize}).", nameof(tokens));
        }
        return (int)tokenCount;
    }
}

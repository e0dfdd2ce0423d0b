using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// The AuxK auxiliary loss on dead latents (Gao et al. 2024, "Scaling and evaluating sparse autoencoders",
/// appendix A.2; ported from EleutherAI sparsify, <c>sparsify/sparse_coder.py</c> <c>SparseCoder.forward</c>, and
/// <c>sparsify/trainer.py</c> for the dead-latent bookkeeping): the k_aux dead latents with the largest
/// pre-activations reconstruct the residual of the main reconstruction,
/// <c>e = x - x^</c> (held constant), <c>e^ = sum over those latents j of z_j D_j</c> (no b_dec: e already accounts
/// for it, the double count sparsify fixed), and each SAE's loss gains
/// <c>alpha * s * mean over batch and dims of (e^ - e)^2</c>, where <c>k_aux = min(d / 2, dead)</c> and
/// <c>s = min(dead / (d / 2), 1)</c> shrinks the loss while few latents are dead (sparsify). The mean matches our
/// L_rec, so alpha weighs the two as sparsify's shared <c>total_variance</c> denominator does; alpha 1/32 is the
/// paper's. A latent is dead when it has not fired for the trainer's dead-latent window (see
/// <see cref="Training.TrainingConfig.DeadLatentWindowSamples"/>: 1 M samples by default, our scaled-down analogue of
/// sparsify's 10 M tokens), judged on the steps before this one.
/// <para>
/// The gradient takes the path of the main loss (<see cref="SaeComputation.Backward"/>): decoder path
/// <c>dD_j += z_j dL/de^</c> projected through the row normalisation, encoder path <c>dW_j += dL/da_j x</c>,
/// <c>db_j += dL/da_j</c>, and with a decoder bias <c>db_dec -= sum_j dL/db_j W_j</c> (b_dec shifts the encoder input).
/// Legend: B batch, d input width, h latents.
/// </para>
/// </summary>
public sealed class AuxKLoss : IDisposable
{
    private readonly SaeConfig config;
    private readonly int halfWidth;
    private readonly int[] deadLatents;
    private readonly AlignedBuffer deadPreActivations;
    private readonly int[] indices;
    private readonly float[] values, activations, activationGradient;
    private readonly AlignedBuffer residual, auxiliaryReconstruction, residualGradient, decoderGradient, biasGradient;

    /// <summary>Allocates the buffers for batches of up to <paramref name="maxBatchSize"/> vectors of an SAE of this shape.</summary>
    /// <param name="config">The SAE's shape.</param>
    /// <param name="maxBatchSize">Largest batch.</param>
    /// <param name="coefficient">alpha (&gt; 0; 1/32 in the paper).</param>
    public AuxKLoss(SaeConfig config, int maxBatchSize, double coefficient)
    {
        config.Validate();
        if (!(coefficient > 0 && double.IsFinite(coefficient))) throw new ArgumentException($"The AuxK coefficient must be a positive number, got {coefficient}.");
        this.config = config;
        Coefficient = coefficient;
        int d = config.InputDim, h = config.LatentCount;
        // d / 2 (Gao et al. appendix B.1, sparsify), at least one latent for d = 1.
        halfWidth = Math.Max(1, d / 2);
        int kMax = Math.Min(halfWidth, h);
        deadLatents = new int[h];
        deadPreActivations = new AlignedBuffer((long)maxBatchSize * h);
        indices = new int[maxBatchSize * kMax];
        values = new float[maxBatchSize * kMax];
        activations = new float[maxBatchSize * kMax];
        activationGradient = new float[maxBatchSize * kMax];
        residual = new AlignedBuffer((long)maxBatchSize * d);
        auxiliaryReconstruction = new AlignedBuffer((long)maxBatchSize * d);
        residualGradient = new AlignedBuffer((long)maxBatchSize * d);
        decoderGradient = new AlignedBuffer((long)h * d);
        biasGradient = new AlignedBuffer(h);
    }

    /// <summary>alpha.</summary>
    public double Coefficient { get; }

    /// <summary>Dead latents at the last <see cref="AddGradient"/>.</summary>
    public int DeadCount { get; private set; }

    /// <summary>
    /// Computes the loss on the batch of the last <see cref="SaeComputation.Forward"/> and adds its gradient to the
    /// gradients <see cref="SaeComputation.Backward"/> left in <paramref name="workspace"/>; returns the loss (0, and
    /// nothing added, when no latent is dead).
    /// </summary>
    /// <param name="sae">The SAE the forward and backward passes ran.</param>
    /// <param name="inputs">The same batch x, <c>[B, d]</c>.</param>
    /// <param name="workspace">Its buffers after the backward pass.</param>
    /// <param name="lastFiredStep">Per latent, the last step it fired (0: never), <c>[h]</c>.</param>
    /// <param name="step">This step, 1-based; firing up to step - 1 counts.</param>
    /// <param name="windowSteps">A latent is dead when <c>step - 1 - lastFiredStep &gt;= windowSteps</c>.</param>
    public double AddGradient(TopKSae sae, ReadOnlySpan<float> inputs, SaeWorkspace workspace, ReadOnlySpan<long> lastFiredStep, long step, long windowSteps)
    {
        if (sae.Config != config || workspace.Config != config) throw new ArgumentException($"AuxK buffers made for {config} used with SAE {sae.Config}.");
        int d = config.InputDim, h = config.LatentCount, batchSize = workspace.BatchSize;
        if (lastFiredStep.Length != h) throw new ArgumentException($"Last-fired steps hold {lastFiredStep.Length} latents, the SAE has {h}.");
        int dead = 0;
        for (int j = 0; j < h; j++)
            if (step - 1 - lastFiredStep[j] >= windowSteps) deadLatents[dead++] = j;
        DeadCount = dead;
        if (dead == 0) return 0;
        int kAux = Math.Min(halfWidth, dead);
        double scale = Math.Min((double)dead / halfWidth, 1.0);
        int count = batchSize * kAux;
        var latentIndices = indices.AsSpan(0, count);
        var latentValues = values.AsSpan(0, count);
        var latentActivations = activations.AsSpan(0, count);

        // Top k_aux of the dead latents' pre-activations, gathered into [B, dead] and mapped back (ascending stays ascending).
        var preActivations = workspace.PreActivations;
        var gathered = deadPreActivations.Span[..(batchSize * dead)];
        for (int b = 0; b < batchSize; b++)
            for (int c = 0; c < dead; c++) gathered[b * dead + c] = preActivations[b * h + deadLatents[c]];
        TopK.Select(gathered, batchSize, dead, kAux, latentIndices, latentValues);
        bool relu = config.Activation == SaeActivation.TopKRelu;
        for (int i = 0; i < count; i++)
        {
            latentIndices[i] = deadLatents[latentIndices[i]];
            latentActivations[i] = relu ? Math.Max(0f, latentValues[i]) : latentValues[i];
        }

        var error = residual.Span[..(batchSize * d)];
        var reconstruction = workspace.Reconstruction;
        for (int i = 0; i < error.Length; i++) error[i] = inputs[i] - reconstruction[i];
        var estimate = auxiliaryReconstruction.Span[..(batchSize * d)];
        SparseKernels.Decode(latentIndices, latentActivations, sae.Decoder, batchSize, kAux, d, estimate);
        var gradient = residualGradient.Span[..(batchSize * d)];
        double loss = KernelRegistry.SaeStep.Selected.SquaredErrorAndGradient(estimate, error, batchSize, d, gradient, Parallelism.MaxThreads);
        float weight = (float)(Coefficient * scale);
        for (int i = 0; i < gradient.Length; i++) gradient[i] *= weight;

        var latentGradient = activationGradient.AsSpan(0, count);
        SparseKernels.GatherDots(latentIndices, gradient, sae.Decoder, batchSize, kAux, d, latentGradient);
        if (relu) KernelRegistry.SaeStep.Selected.MaskReluGradient(latentValues, latentGradient);
        var decoderPath = decoderGradient.Span;
        var biasPath = biasGradient.Span;
        decoderPath.Clear();
        biasPath.Clear();
        ReadOnlySpan<float> encoderInput = config.UseDecoderBias ? workspace.CenteredInput[..(batchSize * d)] : inputs[..(batchSize * d)];
        SparseKernels.ScatterAddPair(latentIndices, latentActivations, gradient, latentGradient, encoderInput,
            batchSize, kAux, d, h, decoderPath, workspace.WeightGradient, biasPath);
        KernelRegistry.SaeStep.Selected.ProjectDecoderGradient(sae.Decoder, sae.RowNorms, decoderPath, h, d, workspace.WeightGradient, Parallelism.MaxThreads);
        var bias = workspace.BiasGradient;
        for (int j = 0; j < h; j++) bias[j] += biasPath[j];
        if (config.UseDecoderBias) AddDecoderBiasGradient(sae.Weights, biasPath, workspace.DecoderBiasGradient);
        return Coefficient * scale * loss;
    }

    // The encoder sees x - b_dec, so dL/db_dec = -W^T dL/db for this loss (its output e^ has no b_dec).
    private void AddDecoderBiasGradient(ReadOnlySpan<float> weights, ReadOnlySpan<float> latentBiasGradient, Span<float> decoderBiasGradient)
    {
        int d = config.InputDim;
        for (int j = 0; j < config.LatentCount; j++)
        {
            float scale = latentBiasGradient[j];
            if (scale == 0) continue;
            for (int t = 0; t < d; t++) decoderBiasGradient[t] -= scale * weights[j * d + t];
        }
    }

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        deadPreActivations.Dispose();
        residual.Dispose();
        auxiliaryReconstruction.Dispose();
        residualGradient.Dispose();
        decoderGradient.Dispose();
        biasGradient.Dispose();
    }
}

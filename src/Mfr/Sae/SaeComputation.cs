using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// Forward and backward pass of a <see cref="TopKSae"/> on one batch (SPEC 1). After the dense
/// encoder product everything touches only the k active latents of each sample: O(B k d).
/// Legend: B batch, d input width, h latents, k active latents.
/// </summary>
public static class SaeComputation
{
    /// <summary>
    /// Encodes, selects, decodes, and returns L_rec = mean over batch and dims of (x^ - x)^2; leaves
    /// dL/dx^ and the sparse code in <paramref name="workspace"/> for <see cref="Backward"/>.
    /// </summary>
    /// <param name="sae">The SAE; its <see cref="TopKSae.Decoder"/> must be current.</param>
    /// <param name="inputs">Batch x, <c>[batchSize, d]</c>.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="workspace">Buffers for this SAE's shape.</param>
    /// <param name="timer">Optional per-phase timing.</param>
    public static double Forward(TopKSae sae, ReadOnlySpan<float> inputs, int batchSize, SaeWorkspace workspace, StepTimer? timer = null)
    {
        var config = sae.Config;
        int d = config.InputDim, h = config.LatentCount, k = config.K;
        CheckBatch(config, inputs.Length, batchSize, workspace);
        workspace.BatchSize = batchSize;
        timer?.Start();

        ReadOnlySpan<float> encoderInput = inputs[..(batchSize * d)];
        if (config.UseDecoderBias)
        {
            var centered = workspace.CenteredInput[..(batchSize * d)];
            KernelRegistry.SaeStep.Selected.SubtractRowVector(encoderInput, sae.DecoderBias, batchSize, d, centered, Parallelism.MaxThreads);
            encoderInput = centered;
        }
        var indices = workspace.Indices.AsSpan(0, batchSize * k);
        var values = workspace.Values.AsSpan(0, batchSize * k);
        if (workspace.Int8Select is { } int8Select)
        {
            // Opt-in (issue 16 item 4): the same TopK from int8 candidates; the Encoder phase then includes the selection.
            Int8SelectEncoder.Encode(encoderInput, sae.Weights, sae.Bias, batchSize, d, h, k, int8Select, indices, values);
            timer?.Stop(StepTimer.Phase.Encoder);
        }
        else
        {
            var preActivations = workspace.PreActivations[..(batchSize * h)];
            var (selectionTicks, threads) = EncoderTopK.Run(encoderInput, sae.Weights, sae.Bias, batchSize, d, h, k, preActivations, indices, values);
            timer?.Stop(StepTimer.Phase.Encoder);
            // The TopK ran inside the product on each part's finished rows: its time over the threads is the TopK phase's.
            timer?.Transfer(StepTimer.Phase.Encoder, StepTimer.Phase.TopK, selectionTicks / threads);
        }
        var activations = workspace.Activations.AsSpan(0, batchSize * k);
        KernelRegistry.SaeStep.Selected.Activate(indices, values, batchSize, k, h, config.Activation == SaeActivation.TopKRelu, activations, workspace.FireCounts, workspace.PartialFireCounts, Parallelism.MaxThreads);
        timer?.Stop(StepTimer.Phase.TopK);

        var reconstruction = workspace.Reconstruction[..(batchSize * d)];
        var reconstructionGradient = workspace.ReconstructionGradient[..(batchSize * d)];
        double loss;
        workspace.ActivationGradientReady = SparseKernels.FusesDecodeLoss(h, d);
        if (workspace.ActivationGradientReady)
        {
            // dL/dz as well, while each sample's decoder rows are in L1 (issue 16 item 1); Backward then skips its gather-dots.
            loss = SparseKernels.DecodeLossAndDots(indices, activations, sae.Decoder, config.UseDecoderBias ? sae.DecoderBias : default, inputs[..(batchSize * d)],
                batchSize, k, d, reconstruction, reconstructionGradient, workspace.ActivationGradient.AsSpan(0, batchSize * k));
        }
        else
        {
            SparseKernels.Decode(indices, activations, sae.Decoder, batchSize, k, d, reconstruction);
            if (config.UseDecoderBias) KernelRegistry.SaeStep.Selected.AddRowVector(reconstruction, sae.DecoderBias, batchSize, d, Parallelism.MaxThreads);
            loss = KernelRegistry.SaeStep.Selected.SquaredErrorAndGradient(reconstruction, inputs[..(batchSize * d)], batchSize, d, reconstructionGradient, Parallelism.MaxThreads);
        }
        timer?.Stop(StepTimer.Phase.Decode);
        return loss;
    }

    /// <summary>
    /// Gradients of the last <see cref="Forward"/>'s loss into <see cref="SaeWorkspace.WeightGradient"/>
    /// (encoder path plus decoder path through the normalisation,
    /// <c>dL/dW_j += (I - D_j D_j^T) / ||W_j|| dL/dD_j</c>), the bias and decoder-bias gradients.
    /// </summary>
    /// <param name="sae">The SAE the forward pass ran.</param>
    /// <param name="inputs">The same batch x, <c>[B, d]</c>.</param>
    /// <param name="workspace">Buffers holding the forward pass.</param>
    /// <param name="timer">Optional per-phase timing.</param>
    public static void Backward(TopKSae sae, ReadOnlySpan<float> inputs, SaeWorkspace workspace, StepTimer? timer = null)
    {
        var config = sae.Config;
        int d = config.InputDim, h = config.LatentCount, k = config.K, batchSize = workspace.BatchSize;
        timer?.Start();
        var indices = workspace.Indices.AsSpan(0, batchSize * k);
        var values = workspace.Values.AsSpan(0, batchSize * k);
        var activations = workspace.Activations.AsSpan(0, batchSize * k);
        var activationGradient = workspace.ActivationGradient.AsSpan(0, batchSize * k);
        var reconstructionGradient = workspace.ReconstructionGradient[..(batchSize * d)];

        // dL/dz_j = dL/dx^ . D_j (already computed by Forward when it fused the decode); through TopK the gradient
        // reaches only the selected a_j (and through ReLU only the positive ones).
        if (!workspace.ActivationGradientReady) SparseKernels.GatherDots(indices, reconstructionGradient, sae.Decoder, batchSize, k, d, activationGradient);
        if (config.Activation == SaeActivation.TopKRelu) KernelRegistry.SaeStep.Selected.MaskReluGradient(values, activationGradient);

        var weightGradient = workspace.WeightGradient;
        var decoderGradient = workspace.DecoderGradient;
        ReadOnlySpan<float> encoderInput = config.UseDecoderBias ? workspace.CenteredInput[..(batchSize * d)] : inputs[..(batchSize * d)];
        // Decoder path: dL/dD_j = sum z_j dL/dx^; encoder path: dL/dW_j = sum dL/da_j x; and dL/db_j = sum of dL/da_j.
        // Overwritten, not cleared and accumulated: a clear is a pass over each [h, d] gradient.
        SparseKernels.ScatterPair(indices, activations, reconstructionGradient, activationGradient, encoderInput,
            batchSize, k, d, h, decoderGradient, weightGradient, workspace.BiasGradient);
        KernelRegistry.SaeStep.Selected.ProjectDecoderGradient(sae.Decoder, sae.RowNorms, decoderGradient, h, d, weightGradient, Parallelism.MaxThreads);

        if (config.UseDecoderBias) DecoderBiasGradient(sae, reconstructionGradient, batchSize, workspace);
        timer?.Stop(StepTimer.Phase.Backward);
    }

    // dL/db_dec = sum_b dL/dx^_b - sum_b W^T dL/da_b = sum_b dL/dx^_b - W^T dL/db, since
    // sum_b W^T da_b = sum_j (sum_b da_bj) W_j: O(B d + h d), no second sparse pass.
    private static void DecoderBiasGradient(TopKSae sae, ReadOnlySpan<float> reconstructionGradient, int batchSize, SaeWorkspace workspace)
    {
        int d = sae.Config.InputDim, h = sae.Config.LatentCount;
        var gradient = workspace.DecoderBiasGradient;
        var sums = workspace.DecoderBiasSums;
        Array.Clear(sums);
        for (int b = 0; b < batchSize; b++)
            for (int t = 0; t < d; t++) sums[t] += reconstructionGradient[b * d + t];
        ReadOnlySpan<float> weights = sae.Weights;
        ReadOnlySpan<float> biasGradient = workspace.BiasGradient;
        for (int j = 0; j < h; j++)
        {
            double scale = biasGradient[j];
            if (scale == 0) continue;
            for (int t = 0; t < d; t++) sums[t] -= scale * weights[j * d + t];
        }
        for (int t = 0; t < d; t++) gradient[t] = (float)sums[t];
    }

    private static void CheckBatch(SaeConfig config, int inputLength, int batchSize, SaeWorkspace workspace)
    {
        if (workspace.Config != config) throw new ArgumentException($"Workspace made for {workspace.Config} used with SAE {config}.");
        if (batchSize < 1 || batchSize > workspace.MaxBatchSize) throw new ArgumentException($"Batch size {batchSize} outside 1..{workspace.MaxBatchSize}.");
        if (inputLength < (long)batchSize * config.InputDim)
            throw new ArgumentException($"Inputs hold {inputLength} floats, batch [{batchSize},{config.InputDim}] needs {(long)batchSize * config.InputDim}.");
    }
}

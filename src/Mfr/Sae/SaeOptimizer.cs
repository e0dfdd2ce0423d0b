using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// AdamW state (first and second moments, step count) for one <see cref="TopKSae"/>, and the
/// update that applies a gradient and renormalises the decoder.
/// </summary>
public sealed class SaeOptimizer : IDisposable
{
    private readonly AlignedBuffer weightMoment1, weightMoment2, biasMoment1, biasMoment2, decoderBiasMoment1, decoderBiasMoment2;

    /// <summary>Zero moments for an SAE of shape <paramref name="config"/>.</summary>
    public SaeOptimizer(SaeConfig config, AdamSettings settings)
    {
        settings.Validate();
        Settings = settings;
        long size = (long)config.LatentCount * config.InputDim;
        weightMoment1 = new AlignedBuffer(size);
        weightMoment2 = new AlignedBuffer(size);
        biasMoment1 = new AlignedBuffer(config.LatentCount);
        biasMoment2 = new AlignedBuffer(config.LatentCount);
        decoderBiasMoment1 = new AlignedBuffer(config.InputDim);
        decoderBiasMoment2 = new AlignedBuffer(config.InputDim);
    }

    /// <summary>Hyperparameters.</summary>
    public AdamSettings Settings { get; }

    /// <summary>Optimiser steps taken since creation or the last <see cref="Reset"/>.</summary>
    public long StepCount { get; set; }

    /// <summary>The moment buffers by name, for checkpoints: (name, buffer).</summary>
    public IEnumerable<(string Name, AlignedBuffer Buffer)> State =>
    [
        ("W.exp_avg", weightMoment1), ("W.exp_avg_sq", weightMoment2),
        ("b.exp_avg", biasMoment1), ("b.exp_avg_sq", biasMoment2),
        ("b_dec.exp_avg", decoderBiasMoment1), ("b_dec.exp_avg_sq", decoderBiasMoment2),
    ];

    /// <summary>One AdamW step on W, b (and b_dec when used) from the workspace's gradients; then D = W / ||W||.</summary>
    public void Step(TopKSae sae, SaeWorkspace workspace)
    {
        StepCount++;
        // W and D in one pass over W when the fast kernels run (bitwise the same as the two passes below).
        bool fused = AdamRenormalization.Applies;
        if (fused)
        {
            AdamRenormalization.Step(sae.Weights, workspace.WeightGradient, weightMoment1.Span, weightMoment2.Span, Settings, StepCount,
                sae.Config.LatentCount, sae.Config.InputDim, sae.DecoderToRefresh, sae.RowNormsToRefresh, Parallelism.MaxThreads);
        }
        else
        {
            Adam.Step(sae.Weights, workspace.WeightGradient, weightMoment1.Span, weightMoment2.Span, Settings, StepCount);
        }
        Adam.Step(sae.Bias, workspace.BiasGradient, biasMoment1.Span, biasMoment2.Span, Settings, StepCount);
        if (sae.Config.UseDecoderBias)
            Adam.Step(sae.DecoderBias, workspace.DecoderBiasGradient, decoderBiasMoment1.Span, decoderBiasMoment2.Span, Settings, StepCount);
        if (!fused) sae.RefreshDecoder();
    }

    /// <summary>Forgets all moments (after a re-initialisation, SPEC 2).</summary>
    public void Reset()
    {
        StepCount = 0;
        foreach (var (_, buffer) in State) buffer.Span.Clear();
    }

    /// <summary>Frees the moment buffers.</summary>
    public void Dispose()
    {
        foreach (var (_, buffer) in State) buffer.Dispose();
    }
}

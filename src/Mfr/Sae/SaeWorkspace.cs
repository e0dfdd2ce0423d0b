using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// The per-batch buffers of one SAE, allocated once for a maximum batch size and reused every
/// step (STYLE.md 9). Legend: B batch, d input width, h latents, k active latents.
/// </summary>
public sealed class SaeWorkspace : IDisposable
{
    private readonly AlignedBuffer preActivations;
    private readonly AlignedBuffer reconstruction;
    private readonly AlignedBuffer reconstructionGradient;
    private readonly AlignedBuffer centeredInput;
    private readonly AlignedBuffer weightGradient;
    private readonly AlignedBuffer decoderGradient;
    private readonly AlignedBuffer biasGradient;
    private readonly AlignedBuffer decoderBiasGradient;

    /// <summary>Allocates buffers for batches of up to <paramref name="maxBatchSize"/> vectors.</summary>
    /// <param name="config">The SAE's shape.</param>
    /// <param name="maxBatchSize">Largest batch.</param>
    /// <param name="encoderPrecision">How <see cref="SaeComputation.Forward"/> selects the TopK (int8-select adds its own buffers).</param>
    public SaeWorkspace(SaeConfig config, int maxBatchSize, EncoderPrecision encoderPrecision = EncoderPrecision.Fp32)
    {
        config.Validate();
        if (maxBatchSize < 1) throw new ArgumentException($"Batch size must be at least 1, got {maxBatchSize}.");
        Config = config;
        MaxBatchSize = maxBatchSize;
        int d = config.InputDim, h = config.LatentCount, k = config.K;
        preActivations = new AlignedBuffer((long)maxBatchSize * h);
        reconstruction = new AlignedBuffer((long)maxBatchSize * d);
        reconstructionGradient = new AlignedBuffer((long)maxBatchSize * d);
        centeredInput = new AlignedBuffer(config.UseDecoderBias ? (long)maxBatchSize * d : 0);
        weightGradient = new AlignedBuffer((long)h * d);
        decoderGradient = new AlignedBuffer((long)h * d);
        biasGradient = new AlignedBuffer(h);
        decoderBiasGradient = new AlignedBuffer(d);
        Indices = new int[maxBatchSize * k];
        Values = new float[maxBatchSize * k];
        Activations = new float[maxBatchSize * k];
        ActivationGradient = new float[maxBatchSize * k];
        FireCounts = new int[h];
        PartialFireCounts = new int[SaeStepKernels.FireCountParts * h];
        DecoderBiasSums = new double[config.UseDecoderBias ? d : 0];
        EncoderPrecision = encoderPrecision;
        Int8Select = encoderPrecision == EncoderPrecision.Int8Select ? new Int8SelectBuffers(maxBatchSize, d, h) : null;
    }

    /// <summary>How the forward pass selects the TopK.</summary>
    public EncoderPrecision EncoderPrecision { get; }

    /// <summary>The int8-select encoder's buffers (null for fp32).</summary>
    internal Int8SelectBuffers? Int8Select { get; }

    /// <summary>Shape these buffers were made for.</summary>
    public SaeConfig Config { get; }

    /// <summary>Largest batch the buffers hold.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Rows in the last forward pass.</summary>
    public int BatchSize { get; internal set; }

    /// <summary>True when the last forward pass also left dL/dz in <see cref="ActivationGradient"/> (fused with its decode).</summary>
    internal bool ActivationGradientReady { get; set; }

    /// <summary>a = W x + b, <c>[B, h]</c> (not formed by the int8-select encoder).</summary>
    public Span<float> PreActivations => preActivations.Span;

    /// <summary>x^, <c>[B, d]</c>.</summary>
    public Span<float> Reconstruction => reconstruction.Span;

    /// <summary>dL/dx^, <c>[B, d]</c>.</summary>
    public Span<float> ReconstructionGradient => reconstructionGradient.Span;

    /// <summary>x - b_dec, <c>[B, d]</c> (only with a decoder bias).</summary>
    public Span<float> CenteredInput => centeredInput.Span;

    /// <summary>Active latents of each sample, ascending, <c>[B, k]</c>.</summary>
    public int[] Indices { get; }

    /// <summary>Their pre-activations, <c>[B, k]</c>.</summary>
    public float[] Values { get; }

    /// <summary>z at the active latents (Values, or ReLU of them), <c>[B, k]</c>.</summary>
    public float[] Activations { get; }

    /// <summary>dL/da at the active latents, <c>[B, k]</c>.</summary>
    public float[] ActivationGradient { get; }

    /// <summary>Per latent, samples of the last batch in which it was non-zero, <c>[h]</c>.</summary>
    public int[] FireCounts { get; }

    /// <summary>Per-part histograms behind <see cref="FireCounts"/>, <c>[SaeStepKernels.FireCountParts, h]</c>.</summary>
    internal int[] PartialFireCounts { get; }

    /// <summary>Double accumulators of dL/db_dec, <c>[d]</c> (only with a decoder bias).</summary>
    internal double[] DecoderBiasSums { get; }

    /// <summary>dL/dW, <c>[h, d]</c> (both paths, after <see cref="SaeComputation.Backward"/>).</summary>
    public Span<float> WeightGradient => weightGradient.Span;

    /// <summary>dL/dD (decoder directions), <c>[h, d]</c>, before projection into dL/dW.</summary>
    public Span<float> DecoderGradient => decoderGradient.Span;

    /// <summary>dL/db, <c>[h]</c>.</summary>
    public Span<float> BiasGradient => biasGradient.Span;

    /// <summary>dL/db_dec, <c>[d]</c>.</summary>
    public Span<float> DecoderBiasGradient => decoderBiasGradient.Span;

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        preActivations.Dispose();
        reconstruction.Dispose();
        reconstructionGradient.Dispose();
        centeredInput.Dispose();
        weightGradient.Dispose();
        decoderGradient.Dispose();
        biasGradient.Dispose();
        decoderBiasGradient.Dispose();
        Int8Select?.Dispose();
    }
}

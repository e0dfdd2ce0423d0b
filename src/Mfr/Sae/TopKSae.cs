using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// One TopK SAE with tied weights and a unit-norm decoder (SPEC 1):
/// <c>a = W x + b; z = TopK_k(a); D_j = W_j / ||W_j||; x^ = sum_j z_j D_j</c>.
/// Owns its parameters (W <c>[h, d]</c>, b <c>[h]</c>, optional b_dec <c>[d]</c>) in aligned
/// buffers, and the derived decoder D <c>[h, d]</c> with the row norms it was made from.
/// </summary>
public sealed class TopKSae : IDisposable
{
    private readonly AlignedBuffer weights;
    private readonly AlignedBuffer bias;
    private readonly AlignedBuffer decoderBias;
    private readonly AlignedBuffer decoder;
    private readonly float[] rowNorms;

    /// <summary>Allocates an SAE with all parameters zero; call <see cref="Initialize"/> or load weights.</summary>
    public TopKSae(SaeConfig config)
    {
        config.Validate();
        Config = config;
        long size = (long)config.LatentCount * config.InputDim;
        weights = new AlignedBuffer(size);
        bias = new AlignedBuffer(config.LatentCount);
        decoderBias = new AlignedBuffer(config.InputDim);
        decoder = new AlignedBuffer(size);
        rowNorms = new float[config.LatentCount];
    }

    /// <summary>Shape and activation.</summary>
    public SaeConfig Config { get; }

    /// <summary>W, <c>[LatentCount, InputDim]</c>: encoder rows and, normalised, decoder rows.</summary>
    public Span<float> Weights => weights.Span;

    /// <summary>b, <c>[LatentCount]</c>.</summary>
    public Span<float> Bias => bias.Span;

    /// <summary>b_dec, <c>[InputDim]</c>; stays zero unless <see cref="SaeConfig.UseDecoderBias"/>.</summary>
    public Span<float> DecoderBias => decoderBias.Span;

    /// <summary>D = rows of W scaled to unit length, <c>[LatentCount, InputDim]</c>; valid after <see cref="RefreshDecoder"/>.</summary>
    public ReadOnlySpan<float> Decoder => decoder.Span;

    /// <summary>||W_j|| per latent, as used for the current <see cref="Decoder"/>.</summary>
    public ReadOnlySpan<float> RowNorms => rowNorms;

    /// <summary><see cref="Decoder"/> and <see cref="RowNorms"/> writable, for an optimiser pass that renormalises the rows it updates.</summary>
    internal Span<float> DecoderToRefresh => decoder.Span;

    /// <inheritdoc cref="DecoderToRefresh"/>
    internal Span<float> RowNormsToRefresh => rowNorms;

    /// <summary>Orthogonal W (like torch.nn.init.orthogonal_), zero biases, from <paramref name="seed"/>.</summary>
    public void Initialize(ulong seed)
    {
        var rng = new Rng(seed);
        Orthogonal.Fill(Weights, Config.LatentCount, Config.InputDim, ref rng);
        Bias.Clear();
        DecoderBias.Clear();
        RefreshDecoder();
    }

    /// <summary>Recomputes D and the row norms from W (after every optimiser step).</summary>
    public void RefreshDecoder()
        => KernelRegistry.SaeStep.Selected.NormalizeRows(weights.Span, Config.LatentCount, Config.InputDim, decoder.Span, rowNorms, Parallelism.MaxThreads);

    /// <summary>Copies parameters from <paramref name="other"/> (same config).</summary>
    public void CopyFrom(TopKSae other)
    {
        if (other.Config != Config) throw new ArgumentException($"Cannot copy an SAE of shape {other.Config} into {Config}.");
        other.Weights.CopyTo(Weights);
        other.Bias.CopyTo(Bias);
        other.DecoderBias.CopyTo(DecoderBias);
        RefreshDecoder();
    }

    /// <summary>
    /// Sets D and the row norms to another process's copy of this SAE's (issue 17: an ensemble trained over MPI
    /// receives every step the decoders of the SAEs other ranks train); W is left as it is.
    /// </summary>
    internal void CopyDecoderFrom(ReadOnlySpan<float> otherDecoder, ReadOnlySpan<float> otherRowNorms)
    {
        otherDecoder.CopyTo(decoder.Span);
        otherRowNorms.CopyTo(rowNorms);
    }

    /// <summary>Frees the parameter buffers.</summary>
    public void Dispose()
    {
        weights.Dispose();
        bias.Dispose();
        decoderBias.Dispose();
        decoder.Dispose();
    }
}

using Mfr.Sae;

namespace Mfr.Interop;

/// <summary>
/// The common ground of Mfr, SAELens v6 and EleutherAI sparsify TopK SAEs: untied weights, as both
/// libraries store them. Forward pass (legend: d input width, h latents, k active latents):
/// <code>
/// c  = x - b_dec              (only when SubtractDecoderBias; SAELens apply_b_dec_to_input, sparsify always)
/// a  = c W_enc + b_enc        W_enc [d, h] (SAELens' orientation; sparsify's encoder.weight is its transpose)
/// z  = TopK_k(a), then ReLU   (only when ReluAfterTopK)
/// x^ = z W_dec + b_dec        W_dec [h, d]
/// </code>
/// SAELens' <c>rescale_acts_by_decoder_norm</c> is folded in on import (see <see cref="SaeLensFormat"/>),
/// so this type has no such switch. <see cref="Reconstruct"/> is the scalar reference the fixtures compare
/// against; <see cref="ToTopKSae"/> hands a tied SAE to Mfr's evaluator.
/// </summary>
public sealed class UntiedTopKSae
{
    /// <summary>Wraps the given arrays (not copied).</summary>
    /// <param name="inputDim">d.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="k">Latents kept per sample.</param>
    /// <param name="encoder">W_enc, <c>[d, h]</c>.</param>
    /// <param name="encoderBias">b_enc, <c>[h]</c>.</param>
    /// <param name="decoder">W_dec, <c>[h, d]</c>.</param>
    /// <param name="decoderBias">b_dec, <c>[d]</c>.</param>
    /// <param name="subtractDecoderBias">Subtract b_dec from the input before encoding.</param>
    /// <param name="reluAfterTopK">Zero the negative values among the top k.</param>
    public UntiedTopKSae(int inputDim, int latentCount, int k, float[] encoder, float[] encoderBias, float[] decoder, float[] decoderBias, bool subtractDecoderBias, bool reluAfterTopK)
    {
        if (inputDim < 1 || latentCount < 1 || k < 1 || k > latentCount)
            throw new ArgumentException($"Invalid SAE shape: d_in {inputDim}, d_sae {latentCount}, k {k} (need d_in, d_sae >= 1 and 1 <= k <= d_sae).");
        Check(encoder, (long)inputDim * latentCount, "W_enc");
        Check(encoderBias, latentCount, "b_enc");
        Check(decoder, (long)latentCount * inputDim, "W_dec");
        Check(decoderBias, inputDim, "b_dec");
        (InputDim, LatentCount, K) = (inputDim, latentCount, k);
        (Encoder, EncoderBias, Decoder, DecoderBias) = (encoder, encoderBias, decoder, decoderBias);
        (SubtractDecoderBias, ReluAfterTopK) = (subtractDecoderBias, reluAfterTopK);
    }

    private static void Check(float[] values, long length, string name)
    {
        if (values.Length != length) throw new ArgumentException($"{name} holds {values.Length} values, the shape needs {length}.");
    }

    /// <summary>d.</summary>
    public int InputDim { get; }

    /// <summary>h.</summary>
    public int LatentCount { get; }

    /// <summary>k.</summary>
    public int K { get; }

    /// <summary>W_enc, <c>[d, h]</c>.</summary>
    public float[] Encoder { get; }

    /// <summary>b_enc, <c>[h]</c>.</summary>
    public float[] EncoderBias { get; }

    /// <summary>W_dec, <c>[h, d]</c>.</summary>
    public float[] Decoder { get; }

    /// <summary>b_dec, <c>[d]</c>.</summary>
    public float[] DecoderBias { get; }

    /// <summary>Whether b_dec is subtracted from the input before encoding.</summary>
    public bool SubtractDecoderBias { get; }

    /// <summary>Whether negative values among the top k are zeroed (SAELens, sparsify, Mfr topk-relu).</summary>
    public bool ReluAfterTopK { get; }

    /// <summary>Mfr's SAE in this form: W_enc = W^T (unnormalised), W_dec = D = rows of W scaled to unit length.</summary>
    /// <param name="sae">The SAE; its decoder must be current.</param>
    public static UntiedTopKSae FromTopKSae(TopKSae sae)
    {
        var config = sae.Config;
        int d = config.InputDim, h = config.LatentCount;
        var encoder = new float[(long)d * h];
        ReadOnlySpan<float> weights = sae.Weights;
        for (int j = 0; j < h; j++)
            for (int t = 0; t < d; t++) encoder[(long)t * h + j] = weights[j * d + t];
        return new UntiedTopKSae(d, h, config.K, encoder, sae.Bias.ToArray(), sae.Decoder.ToArray(), sae.DecoderBias.ToArray(),
            config.UseDecoderBias, config.Activation == SaeActivation.TopKRelu);
    }

    /// <summary>
    /// Scalar reference forward pass (pre-activations accumulated in double): the reconstruction of each
    /// input row. Ties in the top-k choose the lower latent index (torch.topk leaves ties unspecified).
    /// </summary>
    /// <param name="inputs">x, <c>[batchSize, d]</c>.</param>
    /// <param name="batchSize">Rows of <paramref name="inputs"/>.</param>
    /// <returns>x^, <c>[batchSize, d]</c>.</returns>
    public float[] Reconstruct(ReadOnlySpan<float> inputs, int batchSize)
    {
        CheckInputs(inputs, batchSize);
        var output = new float[(long)batchSize * InputDim];
        var preActivations = new double[LatentCount];
        var selected = new int[K];
        for (int b = 0; b < batchSize; b++)
        {
            Encode(inputs.Slice(b * InputDim, InputDim), preActivations, selected);
            var row = output.AsSpan(b * InputDim, InputDim);
            var sums = new double[InputDim];
            for (int t = 0; t < InputDim; t++) sums[t] = DecoderBias[t];
            foreach (int j in selected)
            {
                double value = ReluAfterTopK ? Math.Max(preActivations[j], 0) : preActivations[j];
                if (value == 0) continue;
                for (int t = 0; t < InputDim; t++) sums[t] += value * Decoder[(long)j * InputDim + t];
            }
            for (int t = 0; t < InputDim; t++) row[t] = (float)sums[t];
        }
        return output;
    }

    /// <summary>
    /// How many of the batch's top-k pre-activations are negative: the values a ReLU after TopK zeroes,
    /// where an Mfr <c>topk</c> SAE (no ReLU) and SAELens / sparsify reconstruct differently.
    /// </summary>
    /// <param name="inputs">x, <c>[batchSize, d]</c>.</param>
    /// <param name="batchSize">Rows of <paramref name="inputs"/>.</param>
    public long CountNegativeTopK(ReadOnlySpan<float> inputs, int batchSize)
    {
        CheckInputs(inputs, batchSize);
        var preActivations = new double[LatentCount];
        var selected = new int[K];
        long negative = 0;
        for (int b = 0; b < batchSize; b++)
        {
            Encode(inputs.Slice(b * InputDim, InputDim), preActivations, selected);
            foreach (int j in selected) if (preActivations[j] < 0) negative++;
        }
        return negative;
    }

    private void CheckInputs(ReadOnlySpan<float> inputs, int batchSize)
    {
        if (batchSize < 0 || inputs.Length != (long)batchSize * InputDim)
            throw new ArgumentException($"Inputs hold {inputs.Length} floats, a batch of {batchSize} vectors of width {InputDim} needs {(long)batchSize * InputDim}.");
    }

    private void Encode(ReadOnlySpan<float> x, double[] preActivations, int[] selected)
    {
        int d = InputDim, h = LatentCount;
        for (int j = 0; j < h; j++) preActivations[j] = EncoderBias[j];
        for (int t = 0; t < d; t++)
        {
            double centered = SubtractDecoderBias ? (double)x[t] - DecoderBias[t] : x[t];
            if (centered == 0) continue;
            long rowStart = (long)t * h;
            for (int j = 0; j < h; j++) preActivations[j] += centered * Encoder[rowStart + j];
        }
        var order = Enumerable.Range(0, h).OrderByDescending(j => preActivations[j]).ThenBy(j => j).Take(K);
        int i = 0;
        foreach (int j in order) selected[i++] = j;
    }

    /// <summary>1e-4: the float32 rounding of a stored unit row, far below any real untied difference.</summary>
    private const double TiedTolerance = 1e-4;

    /// <summary>Whether W_dec row j is W_enc column j scaled to unit length (within float32 rounding), so <see cref="ToTopKSae"/> accepts it.</summary>
    public bool IsTied => MaxTyingDifference() <= TiedTolerance;

    /// <summary>The largest |W_dec[j, t] - W_enc[t, j] / ||W_enc[:, j]|||: 0 for an SAE with tied weights.</summary>
    private double MaxTyingDifference()
    {
        int d = InputDim, h = LatentCount;
        double worst = 0;
        for (int j = 0; j < h; j++)
        {
            double norm = 0;
            for (int t = 0; t < d; t++) norm += (double)Encoder[(long)t * h + j] * Encoder[(long)t * h + j];
            norm = Math.Sqrt(norm);
            for (int t = 0; t < d; t++) worst = Math.Max(worst, Math.Abs(Decoder[(long)j * d + t] - (norm > 0 ? Encoder[(long)t * h + j] / norm : 0)));
        }
        return worst;
    }

    /// <summary>
    /// The same SAE as Mfr's tied <see cref="TopKSae"/>, for Mfr's evaluator. Exact when W_dec row j is
    /// W_enc column j scaled to unit length (Mfr exports, sparsify and SAELens SAEs trained tied); a b_dec
    /// that is only added after decoding is folded into b_enc (b_enc + W_enc^T b_dec) so Mfr can subtract it.
    /// </summary>
    /// <param name="source">File or folder named in the error.</param>
    /// <exception cref="InvalidDataException">The SAE is untied: Mfr's evaluator runs tied SAEs only.</exception>
    public TopKSae ToTopKSae(string source)
    {
        int d = InputDim, h = LatentCount;
        double worst = MaxTyingDifference();
        if (worst > TiedTolerance)
            throw new InvalidDataException($"{source}: W_dec is not the row-normalised transpose of W_enc (max difference {worst:G3}): an untied SAE, which Mfr's evaluator cannot run yet (it evaluates tied TopK SAEs only).");
        var weights = new float[(long)h * d];
        for (int j = 0; j < h; j++)
            for (int t = 0; t < d; t++) weights[(long)j * d + t] = Encoder[(long)t * h + j];
        bool decoderBiasUsed = SubtractDecoderBias || DecoderBias.Any(value => value != 0);
        var bias = (float[])EncoderBias.Clone();
        if (decoderBiasUsed && !SubtractDecoderBias)
        {
            for (int j = 0; j < h; j++)
            {
                double sum = bias[j];
                for (int t = 0; t < d; t++) sum += (double)Encoder[(long)t * h + j] * DecoderBias[t];
                bias[j] = (float)sum;
            }
        }
        var config = new SaeConfig(d, h, K, ReluAfterTopK ? SaeActivation.TopKRelu : SaeActivation.TopK, decoderBiasUsed);
        var sae = new TopKSae(config);
        weights.CopyTo(sae.Weights);
        bias.CopyTo(sae.Bias);
        DecoderBias.CopyTo(sae.DecoderBias);
        sae.RefreshDecoder();
        return sae;
    }
}

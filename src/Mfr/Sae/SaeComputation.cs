using System.Numerics;
using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// Forward and backward pass of a <see cref="TopKSae"/> on one batch (SPEC 1). After the dense
/// encoder product everything touches only the k active latents of each sample: O(B k d).
/// Legend: B batch, d input width, h latents, k active latents.
/// </summary>
public static class SaeComputation
{
    // Fixed number of row chunks for reductions, so sums do not depend on the thread count and a
    // resumed run reproduces an uninterrupted one bit for bit.
    private const int ReductionChunks = 64;

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
            SubtractRowVector(encoderInput, sae.DecoderBias, batchSize, d, centered);
            encoderInput = centered;
        }
        var preActivations = workspace.PreActivations[..(batchSize * h)];
        Gemm.MultiplyTransposed(encoderInput, sae.Weights, batchSize, h, d, preActivations);
        AddRowVector(preActivations, sae.Bias, batchSize, h);
        timer?.Stop(StepTimer.Phase.Encoder);

        var indices = workspace.Indices.AsSpan(0, batchSize * k);
        var values = workspace.Values.AsSpan(0, batchSize * k);
        TopK.Select(preActivations, batchSize, h, k, indices, values);
        var activations = workspace.Activations.AsSpan(0, batchSize * k);
        var fireCounts = workspace.FireCounts;
        Array.Clear(fireCounts);
        bool relu = config.Activation == SaeActivation.TopKRelu;
        for (int i = 0; i < indices.Length; i++)
        {
            float z = relu && values[i] < 0 ? 0f : values[i];
            activations[i] = z;
            if (z != 0) fireCounts[indices[i]]++;
        }
        timer?.Stop(StepTimer.Phase.TopK);

        var reconstruction = workspace.Reconstruction[..(batchSize * d)];
        SparseKernels.Decode(indices, activations, sae.Decoder, batchSize, k, d, reconstruction);
        if (config.UseDecoderBias) AddRowVector(reconstruction, sae.DecoderBias, batchSize, d);
        double loss = SquaredErrorAndGradient(reconstruction, inputs[..(batchSize * d)], batchSize, d, workspace.ReconstructionGradient[..(batchSize * d)]);
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

        // dL/dz_j = dL/dx^ . D_j; through TopK the gradient reaches only the selected a_j (and
        // through ReLU only the positive ones).
        SparseKernels.GatherDots(indices, reconstructionGradient, sae.Decoder, batchSize, k, d, activationGradient);
        bool relu = config.Activation == SaeActivation.TopKRelu;
        var biasGradient = workspace.BiasGradient;
        biasGradient.Clear();
        for (int i = 0; i < activationGradient.Length; i++)
        {
            if (relu && values[i] <= 0) activationGradient[i] = 0;
            biasGradient[indices[i]] += activationGradient[i];
        }

        var weightGradient = workspace.WeightGradient;
        var decoderGradient = workspace.DecoderGradient;
        weightGradient.Clear();
        decoderGradient.Clear();
        ReadOnlySpan<float> encoderInput = config.UseDecoderBias ? workspace.CenteredInput[..(batchSize * d)] : inputs[..(batchSize * d)];
        // Decoder path: dL/dD_j += z_j dL/dx^; encoder path: dL/dW_j += dL/da_j x.
        SparseKernels.ScatterAddPair(indices, activations, reconstructionGradient, activationGradient, encoderInput,
            batchSize, k, d, h, decoderGradient, weightGradient);
        ProjectDecoderGradient(sae.Decoder, sae.RowNorms, decoderGradient, h, d, weightGradient);

        if (config.UseDecoderBias) DecoderBiasGradient(sae, reconstructionGradient, batchSize, workspace);
        timer?.Stop(StepTimer.Phase.Backward);
    }

    /// <summary><c>gradW_j += (g_j - D_j (D_j . g_j)) / ||W_j||</c>: the Jacobian of W_j / ||W_j|| applied to g_j = dL/dD_j.</summary>
    internal static void ProjectDecoderGradient(ReadOnlySpan<float> decoder, ReadOnlySpan<float> rowNorms, ReadOnlySpan<float> decoderGradient, int latentCount, int dimension, Span<float> weightGradient)
    {
        for (int j = 0; j < latentCount; j++)
        {
            if (rowNorms[j] == 0) continue;
            var direction = decoder.Slice(j * dimension, dimension);
            var gradient = decoderGradient.Slice(j * dimension, dimension);
            var target = weightGradient.Slice(j * dimension, dimension);
            float along = Dot(direction, gradient);
            float inverseNorm = 1f / rowNorms[j];
            for (int t = 0; t < dimension; t++) target[t] += (gradient[t] - direction[t] * along) * inverseNorm;
        }
    }

    // dL/db_dec = sum_b dL/dx^_b - sum_b W^T dL/da_b = sum_b dL/dx^_b - W^T dL/db, since
    // sum_b W^T da_b = sum_j (sum_b da_bj) W_j: O(B d + h d), no second sparse pass.
    private static void DecoderBiasGradient(TopKSae sae, ReadOnlySpan<float> reconstructionGradient, int batchSize, SaeWorkspace workspace)
    {
        int d = sae.Config.InputDim, h = sae.Config.LatentCount;
        var gradient = workspace.DecoderBiasGradient;
        var sums = new double[d];
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

    /// <summary>Returns mean((x^ - x)^2) and writes its gradient 2 (x^ - x) / (B d).</summary>
    internal static unsafe double SquaredErrorAndGradient(ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> inputs, int batchSize, int dimension, Span<float> gradient)
    {
        long count = (long)batchSize * dimension;
        if (count == 0) return 0;
        float scale = (float)(2.0 / count);
        var partial = new double[ReductionChunks];
        fixed (float* pr = reconstruction, px = inputs, pg = gradient)
        {
            float* r = pr, x = px, g = pg;
            Parallel.For(0, ReductionChunks, Parallelism.Options, chunk =>
            {
                int first = (int)((long)batchSize * chunk / ReductionChunks), last = (int)((long)batchSize * (chunk + 1) / ReductionChunks);
                var recon = new ReadOnlySpan<float>(r + (long)first * dimension, (last - first) * dimension);
                var input = new ReadOnlySpan<float>(x + (long)first * dimension, recon.Length);
                var grad = new Span<float>(g + (long)first * dimension, recon.Length);
                partial[chunk] = SquaredErrorSpan(recon, input, scale, grad);
            });
        }
        double total = 0;
        foreach (double value in partial) total += value;
        return total / count;
    }

    private static double SquaredErrorSpan(ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> inputs, float scale, Span<float> gradient)
    {
        int i = 0;
        double total = 0;
        var scaleVector = new Vector<float>(scale);
        for (; i <= reconstruction.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var difference = new Vector<float>(reconstruction[i..]) - new Vector<float>(inputs[i..]);
            (difference * scaleVector).CopyTo(gradient[i..]);
            total += Vector.Dot(difference, difference);
        }
        for (; i < reconstruction.Length; i++)
        {
            float difference = reconstruction[i] - inputs[i];
            gradient[i] = difference * scale;
            total += difference * difference;
        }
        return total;
    }

    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        var sum = Vector<float>.Zero;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count) sum += new Vector<float>(x[i..]) * new Vector<float>(y[i..]);
        float total = Vector.Sum(sum);
        for (; i < x.Length; i++) total += x[i] * y[i];
        return total;
    }

    private static unsafe void AddRowVector(Span<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount)
    {
        fixed (float* pm = matrix, pr = row)
        {
            float* m = pm, r = pr;
            Parallel.For(0, ReductionChunks, Parallelism.Options, chunk =>
            {
                int first = (int)((long)rowCount * chunk / ReductionChunks), last = (int)((long)rowCount * (chunk + 1) / ReductionChunks);
                var bias = new ReadOnlySpan<float>(r, columnCount);
                for (int b = first; b < last; b++)
                {
                    var target = new Span<float>(m + (long)b * columnCount, columnCount);
                    int i = 0;
                    for (; i <= columnCount - Vector<float>.Count; i += Vector<float>.Count)
                        (new Vector<float>(target[i..]) + new Vector<float>(bias[i..])).CopyTo(target[i..]);
                    for (; i < columnCount; i++) target[i] += bias[i];
                }
            });
        }
    }

    private static void SubtractRowVector(ReadOnlySpan<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, Span<float> destination)
    {
        for (int b = 0; b < rowCount; b++)
            for (int t = 0; t < columnCount; t++) destination[b * columnCount + t] = matrix[b * columnCount + t] - row[t];
    }

    private static void CheckBatch(SaeConfig config, int inputLength, int batchSize, SaeWorkspace workspace)
    {
        if (workspace.Config != config) throw new ArgumentException($"Workspace made for {workspace.Config} used with SAE {config}.");
        if (batchSize < 1 || batchSize > workspace.MaxBatchSize) throw new ArgumentException($"Batch size {batchSize} outside 1..{workspace.MaxBatchSize}.");
        if (inputLength < (long)batchSize * config.InputDim)
            throw new ArgumentException($"Inputs hold {inputLength} floats, batch [{batchSize},{config.InputDim}] needs {(long)batchSize * config.InputDim}.");
    }
}

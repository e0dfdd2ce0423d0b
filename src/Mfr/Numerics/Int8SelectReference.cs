namespace Mfr.Numerics;

/// <summary>
/// Scalar specification of the int8-select encoder (issue 16 item 4), the reference for
/// <see cref="Int8SelectEncoder"/>: TopK of <c>a = x W^T + b</c> per row, found by
/// <list type="number">
/// <item>quantising every row of W to signed 8 bits (per-latent scale <c>s_j = max|w_j| / 127</c>) and every row
/// of x to 127 levels (127, or 63 for the vpmaddubsw paths whose 16-bit pair sums must
/// not saturate), round to nearest even;</item>
/// <item>the exact integer products <c>x_q . w_q,j</c>, giving estimates q_j with a proven error bound E_j
/// (<see cref="Int8SelectBound"/>) against the fp32 encoder's value;</item>
/// <item>a threshold: the k largest estimates recomputed exactly (step 4's dot), T = their smallest value less
/// the fp32 rounding slack, so the fp32 encoder's k-th largest pre-activation is at least T;</item>
/// <item>candidates: those k and every latent with <c>q_j + E_j &gt;= T</c> (a superset of the set the fp32 encoder
/// selects; the window below T is one bound wide, where the k-th largest lower bound would leave two);</item>
/// <item>the other candidates' pre-activations recomputed in fp32 by <see cref="Dot"/> plus b_j, and their TopK
/// (<see cref="TopKReference"/>: ties to the lower column, indices ascending).</item>
/// </list>
/// So the output is the fp32 encoder's TopK with values equal to fp32 dot products (summed in the order of
/// <see cref="Dot"/>, which differs from the GEMM's by rounding: about 1e-7 relative per sqrt(d)).
/// </summary>
public static class Int8SelectReference
{
    /// <summary>Lanes of the fixed summation order of <see cref="Dot"/> (one Vector512 of floats).</summary>
    public const int DotLanes = 16;

    /// <summary>Selects the TopK of <c>x W^T + b</c> per row through int8 candidates.</summary>
    /// <param name="inputs">x, <c>[batchSize, inputDim]</c>.</param>
    /// <param name="weights">W, <c>[latentCount, inputDim]</c>.</param>
    /// <param name="bias">b, <c>[latentCount]</c>.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="inputDim">d.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="k">Latents kept per row, 1 &lt;= k &lt;= h.</param>
    /// <param name="inputLevels">Quantisation levels of x: 127 or 63.</param>
    /// <param name="indices">Output columns, <c>[batchSize, k]</c>, ascending within a row.</param>
    /// <param name="values">Output pre-activations, <c>[batchSize, k]</c>.</param>
    /// <returns>The number of candidates summed over the rows.</returns>
    public static long Encode(ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k, int inputLevels,
        Span<int> indices, Span<float> values)
    {
        Int8SelectEncoder.CheckShapes(inputs.Length, weights.Length, bias.Length, indices.Length, values.Length, batchSize, inputDim, latentCount, k);
        int d = inputDim, h = latentCount;
        float rho = Int8SelectBound.Rho(d);
        var quantized = QuantizeWeights(weights, h, d, rho);
        float maxWeightNorm = 0, maxAbsBias = 0;
        for (int j = 0; j < h; j++)
        {
            maxWeightNorm = MathF.Max(maxWeightNorm, quantized.Norm[j]);
            maxAbsBias = MathF.Max(maxAbsBias, MathF.Abs(bias[j]));
        }
        var estimates = new float[h];
        var bound = new float[h];
        var exact = new float[h];
        var chosen = new int[k];
        var chosenValues = new float[k];
        var candidates = new List<int>();
        long candidateTotal = 0;
        for (int b = 0; b < batchSize; b++)
        {
            var x = inputs.Slice(b * d, d);
            float rowB = Estimates(x, quantized, bias, inputLevels, rho, estimates, bound);
            // The k best estimates, recomputed: their smallest exact value (less the rounding slack) is a threshold
            // the fp32 k-th largest pre-activation cannot be below.
            var isSeed = new bool[h];
            float threshold = float.NegativeInfinity;
            if (k < h)
            {
                TopKReference.Select(estimates, 1, h, k, chosen, chosenValues);
                float smallest = float.PositiveInfinity;
                foreach (int j in chosen)
                {
                    isSeed[j] = true;
                    exact[j] = Dot(x, weights.Slice(j * d, d)) + bias[j];
                    smallest = float.IsNaN(exact[j]) ? float.NaN : MathF.Min(smallest, exact[j]);
                }
                threshold = smallest - Int8SelectBound.ThresholdSlack(rowB, maxWeightNorm, maxAbsBias, rho);
            }
            candidates.Clear();
            for (int j = 0; j < h; j++)
            {
                // Written as "not below" so a NaN bound or threshold (non-finite data) makes the latent a candidate.
                if (isSeed[j] || !(estimates[j] + bound[j] < threshold)) candidates.Add(j);
            }
            candidateTotal += candidates.Count;
            var candidateValues = new float[candidates.Count];
            for (int c = 0; c < candidates.Count; c++)
            {
                int j = candidates[c];
                candidateValues[c] = isSeed[j] ? exact[j] : Dot(x, weights.Slice(j * d, d)) + bias[j];
            }
            TopKReference.Select(candidateValues, 1, candidates.Count, k, chosen, chosenValues);
            for (int s = 0; s < k; s++)
            {
                indices[b * k + s] = candidates[chosen[s]];
                values[b * k + s] = chosenValues[s];
            }
        }
        return candidateTotal;
    }

    /// <summary>W quantised per latent: codes <c>[h, d]</c>, scales s_j and the inflated norms ||w_j||, ||e_w,j||.</summary>
    internal sealed record QuantizedWeights(sbyte[] Codes, float[] Scale, float[] Norm, float[] Error);

    /// <summary>Quantises every row of W (<see cref="QuantizeRow"/> at 127 levels).</summary>
    internal static QuantizedWeights QuantizeWeights(ReadOnlySpan<float> weights, int h, int d, float rho)
    {
        var quantized = new QuantizedWeights(new sbyte[h * d], new float[h], new float[h], new float[h]);
        for (int j = 0; j < h; j++)
        {
            (quantized.Scale[j], quantized.Norm[j], quantized.Error[j]) = QuantizeRow(weights.Slice(j * d, d), Int8SelectBound.WeightLevels, rho, quantized.Codes.AsSpan(j * d, d));
        }
        return quantized;
    }

    /// <summary>
    /// Steps 1-2 for one row: the estimates <c>q_j = s_x s_j (x_q . w_q,j) + b_j</c> and their bounds E_j
    /// (<c>|f_j - q_j| &lt;= E_j</c> for the fp32 encoder's f_j); returns the row's factor B (&gt;= ||x||).
    /// </summary>
    /// <param name="x">The row, <c>[d]</c>.</param>
    /// <param name="weights">W quantised.</param>
    /// <param name="bias">b, <c>[h]</c>.</param>
    /// <param name="inputLevels">127 or 63.</param>
    /// <param name="rho">See <see cref="Int8SelectBound.Rho"/>.</param>
    /// <param name="estimates">Output q, <c>[h]</c>.</param>
    /// <param name="bounds">Output E, <c>[h]</c>.</param>
    internal static float Estimates(ReadOnlySpan<float> x, QuantizedWeights weights, ReadOnlySpan<float> bias, int inputLevels, float rho, Span<float> estimates, Span<float> bounds)
    {
        int d = x.Length;
        Span<sbyte> inputCodes = d <= 4096 ? stackalloc sbyte[d] : new sbyte[d];
        var (scale, norm, errorNorm) = QuantizeRow(x, inputLevels, rho, inputCodes);
        var (rowA, rowB) = Int8SelectBound.RowFactors(norm, errorNorm, rho);
        for (int j = 0; j < weights.Scale.Length; j++)
        {
            int product = 0;
            var codes = weights.Codes.AsSpan(j * d, d);
            for (int p = 0; p < d; p++) product += inputCodes[p] * codes[p];
            estimates[j] = MathF.FusedMultiplyAdd(product, scale * weights.Scale[j], bias[j]);
            bounds[j] = Int8SelectBound.Bound(rowA, rowB, weights.Norm[j], weights.Error[j], Int8SelectBound.BiasTerm(bias[j], rho));
        }
        return rowB;
    }

    /// <summary>
    /// <c>x . w</c> in fp32 in a fixed order: 16 lanes, lane l summing (with fused multiply-adds, from 0) the
    /// products at p = l, l + 16, ... (zero past the end), then lanes l + 8, l + 4, l + 2, l + 1 added in halves.
    /// The order of one Vector512 accumulator, so the vector path reproduces it bit for bit.
    /// </summary>
    /// <param name="x">One row, <c>[d]</c>.</param>
    /// <param name="w">One row, <c>[d]</c>.</param>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> w)
    {
        Span<float> lanes = stackalloc float[DotLanes];
        lanes.Clear();
        int d = x.Length;
        for (int block = 0; block < d; block += DotLanes)
        {
            for (int l = 0; l < DotLanes; l++)
            {
                int p = block + l;
                lanes[l] = MathF.FusedMultiplyAdd(p < d ? x[p] : 0, p < d ? w[p] : 0, lanes[l]);
            }
        }
        for (int half = DotLanes / 2; half >= 1; half /= 2)
        {
            for (int l = 0; l < half; l++) lanes[l] += lanes[l + half];
        }
        return lanes[0];
    }

    /// <summary>
    /// Quantises one row: <c>s = max|v| / levels</c>, <c>codes_i = round_even(v_i * (levels / max|v|))</c> clamped to
    /// [-levels, levels] (all zero for a zero row); returns s and the inflated norms ||v|| and ||v - s codes||
    /// (the residual computed by one fused multiply-add per element).
    /// </summary>
    /// <param name="row">v, <c>[d]</c>.</param>
    /// <param name="levels">127 or 63.</param>
    /// <param name="rho">See <see cref="Int8SelectBound.Rho"/>.</param>
    /// <param name="codes">Output, <c>[d]</c>.</param>
    public static (float Scale, float Norm, float ErrorNorm) QuantizeRow(ReadOnlySpan<float> row, int levels, float rho, Span<sbyte> codes)
    {
        float maximum = 0, squares = 0;
        foreach (float v in row)
        {
            maximum = MathF.Max(maximum, MathF.Abs(v));
            squares = MathF.FusedMultiplyAdd(v, v, squares);
        }
        var (scale, reciprocal) = Int8SelectBound.Scale(maximum, levels);
        float errorSquares = 0;
        for (int i = 0; i < row.Length; i++)
        {
            float code = Math.Clamp(MathF.Round(row[i] * reciprocal), -levels, levels);
            codes[i] = (sbyte)code;
            float error = MathF.FusedMultiplyAdd(-scale, code, row[i]);
            errorSquares = MathF.FusedMultiplyAdd(error, error, errorSquares);
        }
        return (scale, Int8SelectBound.Norm(squares, rho), Int8SelectBound.Norm(errorSquares, rho));
    }
}

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
/// <item>candidates: the latents with <c>q_j + E_j &gt;= L</c>, L the k-th largest <c>q_j - E_j</c> (a superset of
/// the set the fp32 encoder selects);</item>
/// <item>the candidates' pre-activations recomputed in fp32 by <see cref="Dot"/> plus b_j, and their TopK
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
        var weightCodes = new sbyte[h * d];
        var weightScale = new float[h];
        var weightNorm = new float[h];
        var weightError = new float[h];
        for (int j = 0; j < h; j++)
        {
            (weightScale[j], weightNorm[j], weightError[j]) = QuantizeRow(weights.Slice(j * d, d), Int8SelectBound.WeightLevels, rho, weightCodes.AsSpan(j * d, d));
        }
        var inputCodes = new sbyte[d];
        var lower = new float[h];
        var bound = new float[h];
        var candidates = new List<int>();
        long candidateTotal = 0;
        for (int b = 0; b < batchSize; b++)
        {
            var x = inputs.Slice(b * d, d);
            var (scale, norm, errorNorm) = QuantizeRow(x, inputLevels, rho, inputCodes);
            var (rowA, rowB) = Int8SelectBound.RowFactors(norm, errorNorm, rho);
            for (int j = 0; j < h; j++)
            {
                int product = 0;
                for (int p = 0; p < d; p++) product += inputCodes[p] * weightCodes[j * d + p];
                float estimate = MathF.FusedMultiplyAdd(product, scale * weightScale[j], bias[j]);
                bound[j] = MathF.FusedMultiplyAdd(rowA, weightNorm[j], MathF.FusedMultiplyAdd(rowB, weightError[j], Int8SelectBound.BiasTerm(bias[j], rho)));
                lower[j] = estimate - bound[j];
            }
            float threshold = KthLargest(lower, k);
            candidates.Clear();
            for (int j = 0; j < h; j++)
            {
                // Written as "not below" so a NaN bound (non-finite data) makes the latent a candidate.
                if (!(lower[j] + 2 * bound[j] < threshold)) candidates.Add(j);
            }
            candidateTotal += candidates.Count;
            var exact = new float[candidates.Count];
            for (int c = 0; c < candidates.Count; c++) exact[c] = Dot(x, weights.Slice(candidates[c] * d, d)) + bias[candidates[c]];
            var chosen = new int[k];
            var chosenValues = new float[k];
            TopKReference.Select(exact, 1, candidates.Count, k, chosen, chosenValues);
            for (int s = 0; s < k; s++)
            {
                indices[b * k + s] = candidates[chosen[s]];
                values[b * k + s] = chosenValues[s];
            }
        }
        return candidateTotal;
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

    /// <summary>The k-th largest of <paramref name="row"/> (NaN ranking lowest, as in <see cref="TopKReference"/>).</summary>
    private static float KthLargest(float[] row, int k)
    {
        var sorted = (float[])row.Clone();
        Array.Sort(sorted, (x, y) => y.CompareTo(x));
        return sorted[k - 1];
    }
}

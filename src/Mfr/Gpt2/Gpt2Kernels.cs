using System.Numerics;

namespace Mfr.Gpt2;

/// <summary>
/// The element-wise and row-wise operations of the GPT-2 forward pass, vectorized with
/// <see cref="Vector{T}"/> (main loop <c>i &lt;= n - Count</c>, scalar tail); <see cref="Gpt2KernelsReference"/>
/// is the specification they are tested against. Matrix products are not here: they go through
/// <see cref="Mfr.Numerics.Gemm"/>.
/// </summary>
internal static class Gpt2Kernels
{
    // sqrt(2 / pi), the constant of GPT-2's tanh GELU (Hendrycks and Gimpel 2016, eq. in section 2).
    private const float GeluScale = 0.7978845608028654f;
    private const float GeluCubic = 0.044715f;

    /// <summary>
    /// LayerNorm of each row (torch.nn.LayerNorm: biased variance, <c>(x - mean) / sqrt(var + eps) * w + b</c>).
    /// </summary>
    /// <param name="input">Rows, <c>[rowCount, width]</c>.</param>
    /// <param name="weight">Scale, <c>[width]</c>.</param>
    /// <param name="bias">Shift, <c>[width]</c>.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="width">Row length.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="output">Normalised rows, <c>[rowCount, width]</c>; may not overlap the input.</param>
    public static void LayerNorm(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rowCount, int width, float epsilon, Span<float> output)
    {
        int count = Vector<float>.Count;
        for (int row = 0; row < rowCount; row++)
        {
            var x = input.Slice(row * width, width);
            var y = output.Slice(row * width, width);
            var sumVector = Vector<float>.Zero;
            int i = 0;
            for (; i <= width - count; i += count) sumVector += new Vector<float>(x[i..]);
            float sum = Vector.Sum(sumVector);
            for (; i < width; i++) sum += x[i];
            float mean = sum / width;

            // Two passes (mean, then squared deviations) as torch does, not E[x^2] - mean^2.
            var meanVector = new Vector<float>(mean);
            var squaresVector = Vector<float>.Zero;
            for (i = 0; i <= width - count; i += count)
            {
                var deviation = new Vector<float>(x[i..]) - meanVector;
                squaresVector += deviation * deviation;
            }
            float squares = Vector.Sum(squaresVector);
            for (; i < width; i++) squares += (x[i] - mean) * (x[i] - mean);
            float inverseStd = 1f / MathF.Sqrt(squares / width + epsilon);

            var inverseStdVector = new Vector<float>(inverseStd);
            for (i = 0; i <= width - count; i += count)
            {
                var normalised = (new Vector<float>(x[i..]) - meanVector) * inverseStdVector;
                (normalised * new Vector<float>(weight[i..]) + new Vector<float>(bias[i..])).CopyTo(y[i..]);
            }
            for (; i < width; i++) y[i] = (x[i] - mean) * inverseStd * weight[i] + bias[i];
        }
    }

    /// <summary>
    /// GPT-2's GELU (<c>gelu_new</c>) in place: <c>0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))</c>,
    /// computed as the equal <c>x / (1 + exp(-2u))</c> so only one exponential is needed.
    /// </summary>
    public static void GeluInPlace(Span<float> values)
    {
        int count = Vector<float>.Count;
        var scale = new Vector<float>(-2f * GeluScale);
        var cubic = new Vector<float>(GeluCubic);
        int i = 0;
        for (; i <= values.Length - count; i += count)
        {
            var x = new Vector<float>(values[i..]);
            var minusTwoU = scale * (x + cubic * x * x * x);
            (x / (Vector<float>.One + Gpt2VectorMath.Exp(minusTwoU))).CopyTo(values[i..]);
        }
        for (; i < values.Length; i++)
        {
            float x = values[i];
            values[i] = x / (1f + MathF.Exp(-2f * GeluScale * (x + GeluCubic * x * x * x)));
        }
    }

    /// <summary>
    /// Softmax of the first <paramref name="validLength"/> entries in place (max subtracted first, fp32);
    /// the entries after them are set to zero (the causal mask).
    /// </summary>
    /// <param name="row">Scores, <c>[n]</c>.</param>
    /// <param name="validLength">Entries that take part, in <c>[1, n]</c>.</param>
    public static void SoftmaxInPlace(Span<float> row, int validLength)
    {
        var valid = row[..validLength];
        float max = Max(valid);
        int count = Vector<float>.Count;
        var maxVector = new Vector<float>(max);
        var sumVector = Vector<float>.Zero;
        int i = 0;
        for (; i <= valid.Length - count; i += count)
        {
            var e = Gpt2VectorMath.Exp(new Vector<float>(valid[i..]) - maxVector);
            e.CopyTo(valid[i..]);
            sumVector += e;
        }
        float sum = Vector.Sum(sumVector);
        for (; i < valid.Length; i++)
        {
            valid[i] = MathF.Exp(valid[i] - max);
            sum += valid[i];
        }
        float inverseSum = 1f / sum;
        var inverseSumVector = new Vector<float>(inverseSum);
        for (i = 0; i <= valid.Length - count; i += count) (new Vector<float>(valid[i..]) * inverseSumVector).CopyTo(valid[i..]);
        for (; i < valid.Length; i++) valid[i] *= inverseSum;
        row[validLength..].Clear();
    }

    /// <summary>
    /// Folds one slice of a row into a running log-sum-exp kept as (max, sum of exp(x - max)), so a row of
    /// logits can be reduced slice by slice: <c>log(sum(exp(row))) = runningMax + log(runningSum)</c> at the end.
    /// Start from <c>(-infinity, 0)</c>.
    /// </summary>
    /// <param name="slice">Next values of the row, <c>[n]</c>, n at least 1.</param>
    /// <param name="runningMax">Largest value so far.</param>
    /// <param name="runningSum">Sum of <c>exp(x - runningMax)</c> over the values so far.</param>
    public static void AccumulateLogSumExp(ReadOnlySpan<float> slice, ref float runningMax, ref double runningSum)
    {
        float max = MathF.Max(Max(slice), runningMax);
        int count = Vector<float>.Count;
        var maxVector = new Vector<float>(max);
        var sumVector = Vector<float>.Zero;
        int i = 0;
        for (; i <= slice.Length - count; i += count) sumVector += Gpt2VectorMath.Exp(new Vector<float>(slice[i..]) - maxVector);
        double sum = Vector.Sum(sumVector);
        for (; i < slice.Length; i++) sum += MathF.Exp(slice[i] - max);
        runningSum = runningSum * Math.Exp((double)runningMax - max) + sum;
        runningMax = max;
    }

    /// <summary>Copies <paramref name="bias"/> into every row of <paramref name="output"/>.</summary>
    /// <param name="bias">Row values, <c>[width]</c>.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="output">Output, <c>[rowCount, width]</c>.</param>
    public static void BroadcastRows(ReadOnlySpan<float> bias, int rowCount, Span<float> output)
    {
        for (int row = 0; row < rowCount; row++) bias.CopyTo(output.Slice(row * bias.Length, bias.Length));
    }

    /// <summary><c>destination += source</c>.</summary>
    public static void AddInPlace(ReadOnlySpan<float> source, Span<float> destination)
    {
        int count = Vector<float>.Count;
        int i = 0;
        for (; i <= source.Length - count; i += count)
            (new Vector<float>(destination[i..]) + new Vector<float>(source[i..])).CopyTo(destination[i..]);
        for (; i < source.Length; i++) destination[i] += source[i];
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        int count = Vector<float>.Count;
        int i = 0;
        float max = float.NegativeInfinity;
        if (values.Length >= count)
        {
            var maxVector = new Vector<float>(values);
            for (i = count; i <= values.Length - count; i += count) maxVector = Vector.Max(maxVector, new Vector<float>(values[i..]));
            for (int lane = 0; lane < count; lane++) max = MathF.Max(max, maxVector[lane]);
        }
        for (; i < values.Length; i++) max = MathF.Max(max, values[i]);
        return max;
    }
}

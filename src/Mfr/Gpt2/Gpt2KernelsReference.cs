namespace Mfr.Gpt2;

/// <summary>
/// Plain scalar versions of <see cref="Gpt2Kernels"/>, written straight from the formulas (torch
/// LayerNorm, the tanh form of <c>gelu_new</c>, softmax, log-sum-exp) and accumulated in double: the
/// specification the vectorized kernels are tested against (STYLE.md 2).
/// </summary>
internal static class Gpt2KernelsReference
{
    public static void LayerNorm(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rowCount, int width, float epsilon, Span<float> output)
    {
        for (int row = 0; row < rowCount; row++)
        {
            var x = input.Slice(row * width, width);
            double mean = 0;
            foreach (float value in x) mean += value;
            mean /= width;
            double variance = 0;
            foreach (float value in x) variance += (value - mean) * (value - mean);
            variance /= width;
            double inverseStd = 1.0 / Math.Sqrt(variance + epsilon);
            for (int i = 0; i < width; i++) output[row * width + i] = (float)((x[i] - mean) * inverseStd * weight[i] + bias[i]);
        }
    }

    public static void GeluInPlace(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            values[i] = (float)(0.5 * x * (1.0 + Math.Tanh(Math.Sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x))));
        }
    }

    public static void SoftmaxInPlace(Span<float> row, int validLength)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < validLength; i++) max = Math.Max(max, row[i]);
        double sum = 0;
        for (int i = 0; i < validLength; i++) sum += Math.Exp(row[i] - max);
        for (int i = 0; i < validLength; i++) row[i] = (float)(Math.Exp(row[i] - max) / sum);
        row[validLength..].Clear();
    }

    public static double LogSumExp(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity;
        foreach (float value in row) max = Math.Max(max, value);
        double sum = 0;
        foreach (float value in row) sum += Math.Exp(value - max);
        return max + Math.Log(sum);
    }

    /// <summary>The running log-sum-exp of <see cref="Gpt2Kernels.AccumulateLogSumExp"/>, in double: <c>(max, sum of exp(x - max))</c> over everything folded in so far.</summary>
    public static void AccumulateLogSumExp(ReadOnlySpan<float> slice, ref float runningMax, ref double runningSum)
    {
        float max = runningMax;
        foreach (float value in slice) max = Math.Max(max, value);
        double sum = runningSum == 0 ? 0 : runningSum * Math.Exp((double)runningMax - max);
        foreach (float value in slice) sum += Math.Exp((double)value - max);
        runningSum = sum;
        runningMax = max;
    }

    public static void BroadcastRows(ReadOnlySpan<float> bias, int rowCount, Span<float> output)
    {
        for (int row = 0; row < rowCount; row++)
        {
            for (int i = 0; i < bias.Length; i++) output[row * bias.Length + i] = bias[i];
        }
    }

    public static void AddInPlace(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++) destination[i] += source[i];
    }
}

namespace Mfr.Sae;

/// <summary>
/// Scalar specification of <see cref="SaeStepKernels"/> (the dense passes of an SAE step, SPEC 1), in
/// double where a sum is involved. Legend: B batch, d input width, h latents, k active latents.
/// </summary>
internal static class SaeStepKernelsReference
{
    /// <summary><c>destination[b, t] = matrix[b, t] + sign * row[t]</c>, sign = -1 when <paramref name="subtract"/>.</summary>
    public static void AddRowVector(ReadOnlySpan<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, bool subtract, Span<float> destination)
    {
        for (int b = 0; b < rowCount; b++)
        {
            for (int t = 0; t < columnCount; t++)
                destination[b * columnCount + t] = subtract ? matrix[b * columnCount + t] - row[t] : matrix[b * columnCount + t] + row[t];
        }
    }

    /// <summary>mean((x^ - x)^2) over B d elements, and <c>gradient = 2 (x^ - x) / (B d)</c>.</summary>
    public static double SquaredErrorAndGradient(ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> inputs, int batchSize, int dimension, Span<float> gradient)
    {
        long count = (long)batchSize * dimension;
        if (count == 0) return 0;
        double total = 0;
        for (int i = 0; i < count; i++)
        {
            double difference = (double)reconstruction[i] - inputs[i];
            total += difference * difference;
            gradient[i] = (float)(difference * (2.0 / count));
        }
        return total / count;
    }

    /// <summary>z = values (or ReLU of them); <c>fireCounts[j]</c> = entries of latent j with z != 0.</summary>
    public static void Activate(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, bool relu, Span<float> activations, Span<int> fireCounts)
    {
        fireCounts.Clear();
        for (int i = 0; i < values.Length; i++)
        {
            activations[i] = relu && values[i] < 0 ? 0f : values[i];
            if (activations[i] != 0) fireCounts[indices[i]]++;
        }
    }

    /// <summary>Through ReLU the gradient reaches only positive pre-activations: <c>gradient[i] = 0</c> where <c>values[i] &lt;= 0</c>.</summary>
    public static void MaskReluGradient(ReadOnlySpan<float> values, Span<float> gradient)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] <= 0) gradient[i] = 0;
        }
    }

    /// <summary><c>gradW_j += (g_j - D_j (D_j . g_j)) / ||W_j||</c>, skipping rows with ||W_j|| = 0.</summary>
    public static void ProjectDecoderGradient(ReadOnlySpan<float> decoder, ReadOnlySpan<float> rowNorms, ReadOnlySpan<float> decoderGradient, int latentCount, int dimension, Span<float> weightGradient)
    {
        for (int j = 0; j < latentCount; j++)
        {
            if (rowNorms[j] == 0) continue;
            double along = 0;
            for (int t = 0; t < dimension; t++) along += (double)decoder[j * dimension + t] * decoderGradient[j * dimension + t];
            for (int t = 0; t < dimension; t++)
                weightGradient[j * dimension + t] += (float)((decoderGradient[j * dimension + t] - decoder[j * dimension + t] * along) / rowNorms[j]);
        }
    }

    /// <summary><c>rowNorms[j] = ||W_j||</c>, <c>D_j = W_j / ||W_j||</c> (zero rows stay zero).</summary>
    public static void NormalizeRows(ReadOnlySpan<float> weights, int latentCount, int dimension, Span<float> decoder, Span<float> rowNorms)
    {
        for (int j = 0; j < latentCount; j++)
        {
            double sumSquares = 0;
            for (int t = 0; t < dimension; t++) sumSquares += (double)weights[j * dimension + t] * weights[j * dimension + t];
            double norm = Math.Sqrt(sumSquares);
            rowNorms[j] = (float)norm;
            for (int t = 0; t < dimension; t++) decoder[j * dimension + t] = norm > 0 ? (float)(weights[j * dimension + t] / norm) : 0f;
        }
    }
}

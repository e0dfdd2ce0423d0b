namespace Mfr.Regularization;

/// <summary>
/// Plain scalar specification of <see cref="MatchedRows"/>, in double precision: the matched mean
/// cosine of two decoders under an assignment, and the penalty's gradient update on matched rows.
/// </summary>
internal static class MatchedRowsReference
{
    /// <summary>Mean over matched rows i of <c>first[i] . second[columnForRow[i]]</c> (see <see cref="MatchedRows.MeanCosine"/>).</summary>
    public static double MeanCosine(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension)
    {
        double sum = 0;
        int matched = 0;
        for (int i = 0; i < columnForRow.Length; i++)
        {
            int j = columnForRow[i];
            if (j < 0) continue;
            double dot = 0;
            for (int t = 0; t < dimension; t++) dot += (double)first[i * dimension + t] * second[j * dimension + t];
            sum += dot;
            matched++;
        }
        return matched == 0 ? 0 : sum / matched;
    }

    /// <summary>See <see cref="MatchedRows.AddScaledPartners"/>.</summary>
    public static void AddScaledPartners(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, float coefficient, Span<float> gradientFirst, Span<float> gradientSecond)
    {
        for (int i = 0; i < columnForRow.Length; i++)
        {
            int j = columnForRow[i];
            if (j < 0) continue;
            for (int t = 0; t < dimension; t++)
            {
                gradientFirst[i * dimension + t] += coefficient * second[j * dimension + t];
                gradientSecond[j * dimension + t] += coefficient * first[i * dimension + t];
            }
        }
    }

    /// <summary><c>rowDots[i] = first[i] . second[columnForRow[i]]</c> summed in double (0 where unmatched), as <see cref="MatchedRows.MeanCosine"/> leaves them.</summary>
    public static void MatchedDots(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, Span<float> rowDots)
    {
        for (int i = 0; i < columnForRow.Length; i++)
        {
            int j = columnForRow[i];
            double dot = 0;
            for (int t = 0; j >= 0 && t < dimension; t++) dot += (double)first[i * dimension + t] * second[j * dimension + t];
            rowDots[i] = (float)dot;
        }
    }
}

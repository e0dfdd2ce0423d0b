using System.Numerics;
using Mfr.Numerics;

namespace Mfr.Regularization;

/// <summary>
/// The two O(h d) loops of the MFR penalty over the matched decoder rows of one pair of SAEs
/// (SPEC 2: the gradient needs only the matched pairs): the matched cosines <c>D_a,i . D_b,pi(i)</c>
/// and the gradient update <c>G_a,i += c D_b,pi(i)</c>, <c>G_b,pi(i) += c D_a,i</c>. Rows are split
/// between threads; pi is one-to-one, so no two parts write the same gradient row, and each dot is
/// summed by one thread in a fixed order, so results do not depend on the thread count.
/// <see cref="MatchedRowsReference"/> is the specification; the entry points check shapes and run the
/// variant <see cref="KernelRegistry.MatchedRows"/> selects.
/// </summary>
internal static unsafe class MatchedRows
{
    /// <summary>Rows per parallel part.</summary>
    private const int RowsPerPart = 64;

    /// <summary>Below this many floats per operand the call stays on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 16;

    /// <summary>Mean of <c>first[i] . second[columnForRow[i]]</c> over rows with a match (columnForRow[i] &gt;= 0).</summary>
    /// <param name="first">Decoder rows of SAE a, <c>[h_a, d]</c>.</param>
    /// <param name="second">Decoder rows of SAE b, <c>[h_b, d]</c>.</param>
    /// <param name="columnForRow">Matched row of b for each row of a, or -1, <c>[h_a]</c>.</param>
    /// <param name="dimension">d.</param>
    /// <param name="rowDots">Scratch, <c>[h_a]</c>: the per-row dot products (0 where unmatched).</param>
    public static double MeanCosine(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, Span<float> rowDots)
    {
        CheckShapes(first.Length, second.Length, columnForRow, dimension, rowDots.Length);
        return KernelRegistry.MatchedRows.Selected.MeanCosine(first, second, columnForRow, dimension, rowDots);
    }

    /// <summary>The Vector&lt;T&gt; variant of <see cref="MeanCosine"/> (shapes checked): rows split between threads.</summary>
    internal static double MeanCosineFast(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, Span<float> rowDots)
    {
        int rows = columnForRow.Length;
        fixed (float* a = first, b = second, dots = rowDots)
        fixed (int* matches = columnForRow)
        {
            var work = new Work { First = a, Second = b, ColumnForRow = matches, Dimension = dimension, Rows = rows, Dots = dots };
            WorkerPool.Run(ref work, Parts(rows), Threads(rows, dimension));
        }
        return MeanOfMatched(rowDots, columnForRow);
    }

    /// <summary>Mean of <c>rowDots[i]</c> over the rows with a match (summed in double in row order); 0 when none.</summary>
    /// <param name="rowDots">Per-row dot products, <c>[h_a]</c>.</param>
    /// <param name="columnForRow">Matched row of b for each row of a, or -1, <c>[h_a]</c>.</param>
    public static double MeanOfMatched(ReadOnlySpan<float> rowDots, ReadOnlySpan<int> columnForRow)
    {
        double sum = 0;
        int matched = 0;
        for (int i = 0; i < columnForRow.Length; i++)
        {
            if (columnForRow[i] < 0) continue;
            sum += rowDots[i];
            matched++;
        }
        return matched == 0 ? 0 : sum / matched;
    }

    /// <summary><c>gradientFirst[i] += coefficient * second[j]</c> and <c>gradientSecond[j] += coefficient * first[i]</c> for every matched (i, j).</summary>
    /// <param name="first">Decoder rows of SAE a, <c>[h_a, d]</c>.</param>
    /// <param name="second">Decoder rows of SAE b, <c>[h_b, d]</c>.</param>
    /// <param name="columnForRow">Matched row of b for each row of a, or -1, <c>[h_a]</c>; one-to-one.</param>
    /// <param name="dimension">d.</param>
    /// <param name="coefficient">c.</param>
    /// <param name="gradientFirst">Accumulated into, <c>[h_a, d]</c>.</param>
    /// <param name="gradientSecond">Accumulated into, <c>[h_b, d]</c>.</param>
    public static void AddScaledPartners(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, float coefficient, Span<float> gradientFirst, Span<float> gradientSecond)
    {
        CheckShapes(first.Length, second.Length, columnForRow, dimension, columnForRow.Length);
        if (gradientFirst.Length < first.Length || gradientSecond.Length < second.Length)
            throw new ArgumentException($"Gradients hold {gradientFirst.Length} and {gradientSecond.Length} floats, the decoders {first.Length} and {second.Length}.");
        KernelRegistry.MatchedRows.Selected.AddScaledPartners(first, second, columnForRow, dimension, coefficient, gradientFirst, gradientSecond);
    }

    /// <summary>The Vector&lt;T&gt; variant of <see cref="AddScaledPartners"/> (shapes checked): rows split between threads.</summary>
    internal static void AddScaledPartnersFast(ReadOnlySpan<float> first, ReadOnlySpan<float> second, ReadOnlySpan<int> columnForRow, int dimension, float coefficient, Span<float> gradientFirst, Span<float> gradientSecond)
    {
        int rows = columnForRow.Length;
        fixed (float* a = first, b = second, ga = gradientFirst, gb = gradientSecond)
        fixed (int* matches = columnForRow)
        {
            var work = new Work { First = a, Second = b, ColumnForRow = matches, Dimension = dimension, Rows = rows, GradientFirst = ga, GradientSecond = gb, Coefficient = coefficient };
            WorkerPool.Run(ref work, Parts(rows), Threads(rows, dimension));
        }
    }

    private static int Parts(int rows) => (rows + RowsPerPart - 1) / RowsPerPart;

    private static int Threads(int rows, int dimension) => (long)rows * dimension < ParallelThreshold ? 1 : Parallelism.MaxThreads;

    private static void CheckShapes(int firstLength, int secondLength, ReadOnlySpan<int> columnForRow, int dimension, int scratchLength)
    {
        if (dimension < 0 || firstLength < (long)columnForRow.Length * dimension || scratchLength < columnForRow.Length)
            throw new ArgumentException($"Decoder a holds {firstLength} floats, needs [{columnForRow.Length}, {dimension}]; scratch {scratchLength} of {columnForRow.Length}.");
        int secondRows = dimension == 0 ? int.MaxValue : secondLength / dimension;
        foreach (int j in columnForRow)
        {
            if (j >= secondRows) throw new ArgumentException($"Matched row {j} is outside decoder b's {secondRows} rows.");
        }
    }

    internal static float Dot(float* x, float* y, int length)
    {
        int t = 0;
        var sum = Vector<float>.Zero;
        for (; t <= length - Vector<float>.Count; t += Vector<float>.Count)
            sum += Vector.Load(x + t) * Vector.Load(y + t);
        float total = Vector.Sum(sum);
        for (; t < length; t++) total += x[t] * y[t];
        return total;
    }

    internal static void AddScaled(float* source, float coefficient, float* target, int length)
    {
        int t = 0;
        var scale = new Vector<float>(coefficient);
        for (; t <= length - Vector<float>.Count; t += Vector<float>.Count)
            Vector.Store(Vector.Load(target + t) + scale * Vector.Load(source + t), target + t);
        for (; t < length; t++) target[t] += coefficient * source[t];
    }

    private struct Work : IParallelWork
    {
        public float* First, Second, Dots, GradientFirst, GradientSecond;
        public int* ColumnForRow;
        public int Dimension, Rows;
        public float Coefficient;

        public readonly void Execute(int part)
        {
            int firstRow = part * RowsPerPart, endRow = Math.Min(Rows, firstRow + RowsPerPart);
            nint d = Dimension;
            for (int i = firstRow; i < endRow; i++)
            {
                int j = ColumnForRow[i];
                if (Dots != null)
                {
                    Dots[i] = j < 0 ? 0 : Dot(First + i * d, Second + j * d, Dimension);
                    continue;
                }
                if (j < 0) continue;
                AddScaled(Second + j * d, Coefficient, GradientFirst + i * d, Dimension);
                AddScaled(First + i * d, Coefficient, GradientSecond + j * d, Dimension);
            }
        }
    }
}

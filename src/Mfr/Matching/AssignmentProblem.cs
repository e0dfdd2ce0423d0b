namespace Mfr.Matching;

/// <summary>
/// The solver's view of a problem: a dense row-major matrix <c>[RowCount, ColumnCount]</c> with
/// <c>RowCount &lt;= ColumnCount</c>, read as costs <c>Sign * matrix[i, j]</c> to be minimised
/// (<c>Sign = -1</c> maximises a similarity without copying or negating the matrix).
/// </summary>
internal readonly ref struct AssignmentProblem
{
    public AssignmentProblem(ReadOnlySpan<float> matrix, int rowCount, int columnCount, double sign)
    {
        Matrix = matrix;
        RowCount = rowCount;
        ColumnCount = columnCount;
        Sign = sign;
    }

    /// <summary>Row-major values, <c>[RowCount, ColumnCount]</c>.</summary>
    public ReadOnlySpan<float> Matrix { get; }

    /// <summary>Rows; never more than <see cref="ColumnCount"/>.</summary>
    public int RowCount { get; }

    /// <summary>Columns.</summary>
    public int ColumnCount { get; }

    /// <summary>+1 to minimise the values, -1 to maximise them.</summary>
    public double Sign { get; }

    /// <summary>Row <paramref name="row"/> of the matrix, length <see cref="ColumnCount"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => Matrix.Slice(row * ColumnCount, ColumnCount);

    /// <summary>The cost <c>Sign * matrix[row, column]</c> (exact: Sign is +-1).</summary>
    public double Cost(int row, int column) => Sign * Matrix[row * ColumnCount + column];
}

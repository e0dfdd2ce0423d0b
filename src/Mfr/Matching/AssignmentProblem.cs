namespace Mfr.Matching;

/// <summary>
/// The solver's view of a problem: a dense row-major matrix <c>[RowCount, ColumnCount]</c> with
/// <c>RowCount &lt;= ColumnCount</c>, read as costs <c>Sign * matrix[i, j]</c> to be minimised
/// (<c>Sign = -1</c> maximises a similarity without copying or negating the matrix).
/// </summary>
internal readonly ref struct AssignmentProblem
{
    public AssignmentProblem(ReadOnlySpan<float> matrix, int rowCount, int columnCount, double sign, bool transposed)
    {
        Matrix = matrix;
        RowCount = rowCount;
        ColumnCount = columnCount;
        Sign = sign;
        Transposed = transposed;
    }

    /// <summary>Row-major values, <c>[RowCount, ColumnCount]</c>.</summary>
    public ReadOnlySpan<float> Matrix { get; }

    /// <summary>Rows; never more than <see cref="ColumnCount"/>.</summary>
    public int RowCount { get; }

    /// <summary>Columns.</summary>
    public int ColumnCount { get; }

    /// <summary>+1 to minimise the values, -1 to maximise them.</summary>
    public double Sign { get; }

    /// <summary>Whether this is the transpose of the caller's matrix (for error messages).</summary>
    public bool Transposed { get; }

    /// <summary>Row <paramref name="row"/> of the matrix, length <see cref="ColumnCount"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => Matrix.Slice(row * ColumnCount, ColumnCount);

    /// <summary>The cost <c>Sign * matrix[row, column]</c> (exact: Sign is +-1).</summary>
    public double Cost(int row, int column) => Sign * Matrix[row * ColumnCount + column];

    /// <summary>
    /// Throws unless row <paramref name="row"/> is finite. The solver checks each row as its first
    /// pass over the matrix reads it, which saves a separate validation pass over memory.
    /// </summary>
    public void ThrowIfRowNotFinite(int row)
    {
        var values = Row(row);
        if (AssignmentKernels.AllFinite(values)) return;
        int column = 0;
        while (float.IsFinite(values[column])) column++;
        (int inputRow, int inputColumn) = Transposed ? (column, row) : (row, column);
        throw new ArgumentException($"The matrix entry [{inputRow}, {inputColumn}] is {values[column]}; assignment needs finite values.");
    }
}

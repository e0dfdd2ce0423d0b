using Mfr.Matching;

namespace Mfr.Tests.Matching;

/// <summary>Checks that hold for any optimal assignment, independent of how it was found.</summary>
internal static class AssignmentChecks
{
    /// <summary>One-to-one, consistent both ways, min(rows, columns) pairs, total as stated.</summary>
    public static void ValidMatching(LinearAssignmentResult result, float[] matrix, int rows, int columns)
    {
        Assert.Equal(rows, result.RowCount);
        Assert.Equal(columns, result.ColumnCount);
        int matched = 0;
        double total = 0;
        for (int row = 0; row < rows; row++)
        {
            int column = result.ColumnForRow[row];
            if (column < 0) continue;
            Assert.InRange(column, 0, columns - 1);
            Assert.Equal(row, result.RowForColumn[column]);
            matched++;
            total += matrix[row * columns + column];
        }
        int matchedColumns = 0;
        for (int column = 0; column < columns; column++) if (result.RowForColumn[column] >= 0) matchedColumns++;
        Assert.Equal(Math.Min(rows, columns), matched);
        Assert.Equal(matched, matchedColumns);
        Assert.Equal(total, result.Total, 9);
    }

    /// <summary>
    /// LP duality certificate of optimality: with cost = sign * matrix, u[i] + v[j] &lt;= cost[i, j]
    /// everywhere, equality on matched pairs, and the unmatched side's duals equal and largest
    /// (they pair with one implicit dummy). Any assignment passing this is optimal.
    /// </summary>
    public static void DualCertificate(LinearAssignmentResult result, float[] matrix, int rows, int columns, bool maximize, double tolerance = 1e-9)
    {
        double sign = maximize ? -1 : 1;
        var u = result.RowDuals;
        var v = result.ColumnDuals;
        double worst = 0;
        for (int row = 0; row < rows; row++)
            for (int column = 0; column < columns; column++)
                worst = Math.Min(worst, sign * matrix[row * columns + column] - u[row] - v[column]);
        Assert.True(worst >= -tolerance, $"A reduced cost is negative: {worst:G3}.");
        for (int row = 0; row < rows; row++)
        {
            int column = result.ColumnForRow[row];
            if (column < 0) continue;
            double slack = sign * matrix[row * columns + column] - u[row] - v[column];
            Assert.True(Math.Abs(slack) <= tolerance, $"Matched pair ({row}, {column}) is not tight: {slack:G3}.");
        }
        if (columns > rows) UnmatchedShareLargestDual(v, result.RowForColumn, tolerance);
        if (rows > columns) UnmatchedShareLargestDual(u, result.ColumnForRow, tolerance);
    }

    private static void UnmatchedShareLargestDual(ReadOnlySpan<double> duals, ReadOnlySpan<int> partner, double tolerance)
    {
        double largest = double.NegativeInfinity;
        foreach (double dual in duals) largest = Math.Max(largest, dual);
        for (int i = 0; i < duals.Length; i++)
            if (partner[i] < 0)
                Assert.True(Math.Abs(duals[i] - largest) <= tolerance, $"Unmatched index {i} has dual {duals[i]}, largest is {largest}.");
    }
}

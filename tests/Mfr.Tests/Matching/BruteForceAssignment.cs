namespace Mfr.Tests.Matching;

/// <summary>
/// The definition of the assignment optimum, by enumeration: every one-to-one matching of
/// min(rows, columns) pairs (at most 7! = 5040 of them in the tests), its total in double.
/// </summary>
internal static class BruteForceAssignment
{
    public static double BestTotal(float[] matrix, int rows, int columns, bool maximize)
    {
        bool transposed = rows > columns;
        int small = Math.Min(rows, columns), large = Math.Max(rows, columns);
        double Value(int smallIndex, int largeIndex) =>
            transposed ? matrix[largeIndex * columns + smallIndex] : matrix[smallIndex * columns + largeIndex];

        double best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
        var used = new bool[large];
        void Search(int smallIndex, double total)
        {
            if (smallIndex == small)
            {
                best = maximize ? Math.Max(best, total) : Math.Min(best, total);
                return;
            }
            for (int largeIndex = 0; largeIndex < large; largeIndex++)
            {
                if (used[largeIndex]) continue;
                used[largeIndex] = true;
                Search(smallIndex + 1, total + Value(smallIndex, largeIndex));
                used[largeIndex] = false;
            }
        }
        Search(0, 0);
        return small == 0 ? 0 : best;
    }
}

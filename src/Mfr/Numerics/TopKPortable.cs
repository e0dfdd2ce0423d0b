using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// Portable TopK of one row (Vector256, no compress instruction needed): the k-th largest key V by
/// bisection over the 32-bit key range with vector counts (32 passes over the row), then one scalar
/// pass keeping keys above V and the first ties in column order. Same output as
/// <see cref="TopKReference"/>; slower than <see cref="TopKAvx512"/> but fine as a fallback.
/// </summary>
internal static unsafe class TopKPortable
{
    private const int Lanes = 8;

    public static long ScratchInts(int columnCount) => columnCount + Lanes;

    public static void SelectRow(float* row, int columnCount, int k, int* scratch, int* indices, float* values)
    {
        int* keys = scratch;
        int padded = (columnCount + Lanes - 1) / Lanes * Lanes;
        for (int i = 0; i < columnCount; i++) keys[i] = TopKKeys.Key(row[i]);
        for (int i = columnCount; i < padded; i++) keys[i] = int.MinValue;
        long low = int.MinValue, high = (long)int.MaxValue + 1;
        while (high - low > 1)
        {
            long middle = low + (high - low) / 2;
            if (CountAtLeast(keys, padded, (int)middle) >= k) low = middle;
            else high = middle;
        }
        int kth = (int)low;
        int above = 0;
        for (int i = 0; i < columnCount; i++) above += keys[i] > kth ? 1 : 0;
        int tiesWanted = k - above, written = 0;
        for (int i = 0; i < columnCount && written < k; i++)
        {
            int key = keys[i];
            if (key > kth || (key == kth && tiesWanted-- > 0))
            {
                indices[written] = i;
                values[written] = row[i];
                written++;
            }
        }
    }

    private static int CountAtLeast(int* keys, int padded, int limit)
    {
        var limitVector = Vector256.Create(limit);
        var total = Vector256<int>.Zero;
        for (int i = 0; i < padded; i += Lanes) total -= Vector256.GreaterThanOrEqual(Vector256.Load(keys + i), limitVector);
        return Vector256.Sum(total);
    }
}

using Mfr.Numerics;

namespace Mfr.Gpt2;

/// <summary>Splits row-wise work over <see cref="Parallelism.MaxThreads"/>, or runs it inline when it is too small to pay for threads.</summary>
internal static class Gpt2Parallel
{
    // Below this many floats touched, a Parallel.For costs more than it saves (a few microseconds).
    private const long MinimumParallelWork = 1 << 15;

    /// <summary>Calls <paramref name="body"/>(first, end) on disjoint row ranges covering <c>[0, rowCount)</c>.</summary>
    /// <param name="rowCount">Rows.</param>
    /// <param name="rowWidth">Floats per row, to judge the size of the work.</param>
    /// <param name="body">Processes rows <c>[first, end)</c>.</param>
    public static void ForRows(int rowCount, int rowWidth, Action<int, int> body)
    {
        int threads = Parallelism.MaxThreads;
        if (threads == 1 || rowCount < 2 || (long)rowCount * rowWidth < MinimumParallelWork)
        {
            body(0, rowCount);
            return;
        }
        int chunks = Math.Min(rowCount, threads * 4);
        Parallel.For(0, chunks, Parallelism.Options, chunk =>
        {
            int first = (int)((long)rowCount * chunk / chunks);
            int end = (int)((long)rowCount * (chunk + 1) / chunks);
            body(first, end);
        });
    }
}

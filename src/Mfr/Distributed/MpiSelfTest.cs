using System.Text;

namespace Mfr.Distributed;

/// <summary>Outcome of <see cref="MpiSelfTest"/> on rank 0.</summary>
/// <param name="RankCount">Processes in the job.</param>
/// <param name="ChecksPerRank">Checks each rank ran.</param>
/// <param name="Failures">One line per failed check, "rank r: what", from every rank; empty when all passed.</param>
public sealed record MpiSelfTestResult(int RankCount, int ChecksPerRank, IReadOnlyList<string> Failures);

/// <summary>
/// Every collective of <see cref="ICommunicator"/> on values each rank can predict from the ranks alone (issue 17: the
/// binding is tested under <c>mpirun -np 2</c> through <c>mfr mpi-selftest</c>, and in one process on
/// <see cref="SingleProcessCommunicator"/>). Every rank calls <see cref="Run"/>; the failures of all ranks are gathered
/// to rank 0, whose result lists them (the other ranks' results are empty).
/// </summary>
public static class MpiSelfTest
{
    /// <summary>Runs the checks; collective: every rank of <paramref name="world"/> must call it.</summary>
    public static MpiSelfTestResult Run(ICommunicator world)
    {
        int rank = world.Rank, size = world.Size;
        var failures = new List<string>();
        void Check(bool passed, string what)
        {
            if (!passed) failures.Add($"rank {rank}: {what}");
        }

        world.Barrier();

        // Broadcast from the last rank: everyone ends with its values.
        var broadcast = new float[5];
        for (int i = 0; i < broadcast.Length; i++) broadcast[i] = 100 * rank + i + 0.5f;
        world.Broadcast<float>(broadcast, root: size - 1);
        for (int i = 0; i < broadcast.Length; i++) Check(broadcast[i] == 100 * (size - 1) + i + 0.5f, $"broadcast[{i}] is {broadcast[i]}");

        // Allgather with counts r + 1: rank r's block is r * 10 + i.
        var counts = Enumerable.Range(0, size).Select(r => r + 1).ToArray();
        var send = Enumerable.Range(0, rank + 1).Select(i => rank * 10.0 + i).ToArray();
        var gathered = new double[size * (size + 1) / 2];
        world.AllGatherVariable<double>(send, counts, gathered);
        int position = 0;
        for (int r = 0; r < size; r++)
            for (int i = 0; i <= r; i++, position++) Check(gathered[position] == r * 10.0 + i, $"allgather[{position}] is {gathered[position]}, expected {r * 10.0 + i}");

        // Gather of longs to rank 0, with a rank that sends nothing (rank 1 when there is one).
        var longCounts = Enumerable.Range(0, size).Select(r => r == 1 ? 0 : 2).ToArray();
        long[] longSend = rank == 1 ? [] : [rank, -rank - 1L];
        var longReceive = rank == 0 ? new long[longCounts.Sum()] : [];
        world.GatherVariable<long>(longSend, longCounts, longReceive, root: 0);
        if (rank == 0)
        {
            position = 0;
            for (int r = 0; r < size; r++)
            {
                if (r == 1) continue;
                Check(longReceive[position] == r && longReceive[position + 1] == -r - 1L, $"gather from rank {r} is ({longReceive[position]}, {longReceive[position + 1]})");
                position += 2;
            }
        }

        // Reductions: sum of r + 1 in float, max of r and sum of 0.25 r in double.
        float[] floatSum = [rank + 1, 2 * (rank + 1)];
        world.AllReduce(floatSum, ReductionOperation.Sum);
        float expectedSum = size * (size + 1) / 2f;
        Check(floatSum[0] == expectedSum && floatSum[1] == 2 * expectedSum, $"float sum is ({floatSum[0]}, {floatSum[1]}), expected ({expectedSum}, {2 * expectedSum})");
        double[] doubleMax = [rank, -rank];
        world.AllReduce(doubleMax, ReductionOperation.Max);
        Check(doubleMax[0] == size - 1 && doubleMax[1] == 0, $"double max is ({doubleMax[0]}, {doubleMax[1]})");
        double[] doubleSum = [0.25 * rank];
        world.AllReduce(doubleSum, ReductionOperation.Sum);
        Check(doubleSum[0] == 0.25 * size * (size - 1) / 2, $"double sum is {doubleSum[0]}");

        const int checks = 6;
        // Every rank's failures to rank 0, as UTF-8 lines.
        byte[] own = Encoding.UTF8.GetBytes(string.Concat(failures.Select(f => f + "\n")));
        int[] byteCounts = new int[size];
        byteCounts[rank] = own.Length;
        var countsAll = new int[size];
        world.AllGatherVariable<int>(byteCounts.AsSpan(rank, 1), Enumerable.Repeat(1, size).ToArray(), countsAll);
        var allBytes = rank == 0 ? new byte[countsAll.Sum()] : [];
        world.GatherVariable<byte>(own, countsAll, allBytes, root: 0);
        world.Barrier();
        var lines = rank == 0 ? Encoding.UTF8.GetString(allBytes).Split('\n', StringSplitOptions.RemoveEmptyEntries) : [];
        return new MpiSelfTestResult(size, checks, lines);
    }
}

using System.Runtime.Intrinsics;
using Mfr.Numerics;

namespace Mfr.Synthetic;

/// <summary>
/// Fast weighted sampling without replacement; same contract and same draws as
/// <see cref="WeightedSamplingReference"/> (Efraimidis-Spirakis keys, the s smallest of
/// <c>-log(1 - u_i) / w_i</c>). Three changes make a paper-shaped sample (s = 32 of 43) several times
/// cheaper: the uniforms come from <see cref="Rng.FillDoubles"/> (generator state in registers), the
/// logarithms go four at a time through <see cref="Vector256.Log(Vector256{double})"/>, and instead of
/// sorting all keys and then the chosen positions, the s smallest are found by rank counting (short
/// groups) or a quickselect and kept in one pass in position order, so the output comes out ascending.
/// </summary>
/// <remarks>
/// Vector256.Log differs from Math.Log by at most a few ulp (measured: 3), so a key can differ from the
/// reference's in its last bits; the chosen set differs only if two keys of one sample lie within a few
/// ulp of each other across the threshold, which for 53-bit uniforms has probability ~1e-13 per sample.
/// A test checks the two agree on tens of thousands of samples. The distribution is the same exact one.
/// </remarks>
internal static unsafe class WeightedSampling
{
    /// <summary>See <see cref="WeightedSamplingReference.ExponentialKeys"/>.</summary>
    /// <param name="rng">The sample's generator; advanced by <paramref name="count"/> doubles.</param>
    /// <param name="inverseWeights">1 / w_i, <c>[count]</c>.</param>
    /// <param name="count">n.</param>
    /// <param name="uniforms">Working memory, <c>[count]</c>.</param>
    /// <param name="keys">Output, <c>[count]</c>.</param>
    public static void ExponentialKeys(ref Rng rng, double* inverseWeights, int count, double* uniforms, double* keys)
    {
        rng.FillDoubles(new Span<double>(uniforms, count));
        if (count < 4)
        {
            for (int i = 0; i < count; i++) keys[i] = -Math.Log(1.0 - uniforms[i]) * inverseWeights[i];
            return;
        }
        for (int i = 0; i < count; i += 4)
        {
            // The last vector overlaps the one before when count is not a multiple of 4 (it reads the uniforms, so recomputing is harmless).
            int at = Math.Min(i, count - 4);
            (-Vector256.Log(Vector256<double>.One - Vector256.Load(uniforms + at)) * Vector256.Load(inverseWeights + at)).Store(keys + at);
        }
    }

    /// <summary>Groups up to this size are selected by rank counting (O(n^2 / 4) compares, no branches); longer ones by a quickselect.</summary>
    public const int RankCountingLimit = 64;

    /// <summary>See <see cref="WeightedSamplingReference.SmallestInPositionOrder"/>.</summary>
    /// <param name="keys">Keys, <c>[count]</c>, not NaN; left unchanged.</param>
    /// <param name="count">n.</param>
    /// <param name="chosenCount">s, 0 &lt;= s &lt;= n.</param>
    /// <param name="scratch">Working memory, <c>[count + 4]</c> doubles.</param>
    /// <param name="chosen">Output positions, <c>[count]</c> (all may be written; the first s are the result).</param>
    public static void SmallestInPositionOrder(double* keys, int count, int chosenCount, double* scratch, int* chosen)
    {
        if (chosenCount == 0) return;
        if (count <= RankCountingLimit)
        {
            if (TakeByRank(keys, count, chosenCount, scratch, chosen) == chosenCount) return;
        }
        else if (TakeBelowThreshold(keys, count, Threshold(keys, count, chosenCount, scratch), chosen) == chosenCount)
        {
            return;
        }
        // Ties (keys are continuous, so practically never): all keys below the s-th smallest, then the lowest positions equal to it.
        double threshold = Threshold(keys, count, chosenCount, scratch);
        int ties = chosenCount, kept = 0;
        for (int i = 0; i < count; i++) ties -= keys[i] < threshold ? 1 : 0;
        for (int i = 0; i < count && kept < chosenCount; i++)
        {
            if (keys[i] < threshold || (keys[i] == threshold && ties-- > 0)) chosen[kept++] = i;
        }
    }

    /// <summary>
    /// Keeps, in position order, the keys whose rank <c>#{j : key_j &lt; key_i}</c> is below s; returns how
    /// many (s unless keys tie). The ranks of 16 keys at a time (four vectors, four independent counters)
    /// are counted against every key by compares. Branch-free: the quickselect's data-dependent branches
    /// mispredict about half the time.
    /// </summary>
    private static int TakeByRank(double* keys, int count, int chosenCount, double* padded, int* chosen)
    {
        int vectors = (count + 3) / 4;
        new ReadOnlySpan<double>(keys, count).CopyTo(new Span<double>(padded, count));
        for (int i = count; i < 4 * vectors; i++) padded[i] = double.PositiveInfinity;
        var limit = Vector256.Create((long)chosenCount);
        var infinity = Vector256.Create(double.PositiveInfinity);
        int taken = 0;
        for (int first = 0; first < vectors; first += 4)
        {
            int group = Math.Min(4, vectors - first);
            var mine0 = Vector256.Load(padded + 4 * first);
            var mine1 = group > 1 ? Vector256.Load(padded + 4 * first + 4) : infinity;
            var mine2 = group > 2 ? Vector256.Load(padded + 4 * first + 8) : infinity;
            var mine3 = group > 3 ? Vector256.Load(padded + 4 * first + 12) : infinity;
            Vector256<long> rank0 = default, rank1 = default, rank2 = default, rank3 = default;
            for (int j = 0; j < count; j++)
            {
                var key = Vector256.Create(keys[j]);
                rank0 -= Vector256.LessThan(key, mine0).AsInt64();
                rank1 -= Vector256.LessThan(key, mine1).AsInt64();
                rank2 -= Vector256.LessThan(key, mine2).AsInt64();
                rank3 -= Vector256.LessThan(key, mine3).AsInt64();
            }
            uint below = Vector256.LessThan(rank0, limit).ExtractMostSignificantBits()
                | (Vector256.LessThan(rank1, limit).ExtractMostSignificantBits() << 4)
                | (Vector256.LessThan(rank2, limit).ExtractMostSignificantBits() << 8)
                | (Vector256.LessThan(rank3, limit).ExtractMostSignificantBits() << 12);
            int lanes = Math.Min(16, count - 4 * first);
            for (int lane = 0; lane < lanes; lane++)
            {
                chosen[taken] = 4 * first + lane;
                taken += (int)((below >> lane) & 1);
            }
        }
        return taken;
    }

    /// <summary>Keeps, in position order, the keys &lt;= <paramref name="threshold"/>; returns how many.</summary>
    private static int TakeBelowThreshold(double* keys, int count, double threshold, int* chosen)
    {
        int taken = 0;
        for (int i = 0; i < count; i++)
        {
            chosen[taken] = i;
            taken += keys[i] <= threshold ? 1 : 0;
        }
        return taken;
    }

    /// <summary>The s-th smallest key (a copy in <paramref name="scratch"/> is reordered).</summary>
    private static double Threshold(double* keys, int count, int chosenCount, double* scratch)
    {
        new ReadOnlySpan<double>(keys, count).CopyTo(new Span<double>(scratch, count));
        return Select(scratch, count, chosenCount - 1);
    }

    /// <summary>The <paramref name="rank"/>-th smallest value (0-based) of <c>values[0, count)</c>, which it reorders (Wirth's selection).</summary>
    private static double Select(double* values, int count, int rank)
    {
        int low = 0, high = count - 1;
        while (low < high)
        {
            double pivot = values[rank];
            int i = low, j = high;
            do
            {
                while (values[i] < pivot) i++;
                while (pivot < values[j]) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            } while (i <= j);
            if (j < rank) low = i;
            if (rank < i) high = j;
        }
        return values[rank];
    }
}

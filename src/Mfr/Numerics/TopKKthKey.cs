using System.Diagnostics;
using System.Numerics;
using System.Runtime.Intrinsics;
using static Mfr.Numerics.Vector256Packing;

namespace Mfr.Numerics;

/// <summary>
/// Step 3 of <see cref="TopKPortable"/>: the k-th largest of a row's candidate keys (order-preserving
/// int keys, <see cref="TopKKeys"/>) by rounds of counting at 8 pivots at once (Vector256), each
/// round keeping only the keys between the two pivots that bracket the answer.
/// </summary>
internal static unsafe class TopKKthKey
{
    private const int Lanes = 8;

    /// <summary>No key equals int.MaxValue (NaN maps to int.MinValue, +inf to 0x7F800000), so it stands for "maximum not known".</summary>
    public const int UnknownMaximum = int.MaxValue;

    /// <summary>
    /// The k-th largest key V of <paramref name="count"/> candidate keys (the largest key with at
    /// least k keys &gt;= it). Each round counts, for 8 pivots, the keys at or above each; the
    /// largest pivot with &gt;= k (L) and the smallest with &lt; k (U) bracket V, and only the keys in
    /// [L, U) go on (the count at or above U is carried). A bracket of at most 8 keys is counted
    /// with those keys as the pivots, which gives V exactly. Progress: later rounds' pivots are keys
    /// of the bracket including its maximum, so U drops at least one key, or L is the maximum and is V.
    /// </summary>
    /// <param name="keys">Candidate keys, <c>[count]</c>, readable up to the next whole vector.</param>
    /// <param name="count">Number of candidates; at least k of them.</param>
    /// <param name="k">Rank wanted, 1 &lt;= k &lt;= count.</param>
    /// <param name="pivots">First-round pivots; every pivot must be &gt;= the smallest candidate's key or have &gt;= k keys at or above it.</param>
    /// <param name="maximum">The largest candidate key if it is among <paramref name="pivots"/>, else <see cref="UnknownMaximum"/>.</param>
    /// <param name="narrowed">Scratch, <c>[count + 8]</c>.</param>
    public static int KthLargest(int* keys, int count, int k, Vector256<int> pivots, int maximum, int* narrowed)
    {
        int* set = keys;
        int low = int.MinValue, high = int.MaxValue, atOrAboveHigh = 0;
        bool exact = false;
        while (true)
        {
            var atOrAbove = CountAtOrAbove(set, count, pivots) + Vector256.Create(atOrAboveHigh);
            var enough = Vector256.GreaterThan(atOrAbove, Vector256.Create(k - 1));
            uint enoughBits = enough.ExtractMostSignificantBits();
            if (enoughBits != 0) low = HorizontalMax(Vector256.ConditionalSelect(enough, pivots, Vector256.Create(int.MinValue)));
            if (enoughBits != 0xFFu)
            {
                high = HorizontalMin(Vector256.ConditionalSelect(enough, Vector256.Create(int.MaxValue), pivots));
                // Every lane holding the pivot U has the same count.
                var atHigh = Vector256.AndNot(Vector256.Equals(pivots, Vector256.Create(high)), enough);
                atOrAboveHigh = HorizontalMax(Vector256.ConditionalSelect(atHigh, atOrAbove, Vector256<int>.Zero));
            }
            if (exact || low == maximum) return low;
            count = PackRange(set, count, low, high, narrowed, out maximum);
            set = narrowed;
            Debug.Assert(count >= 1, "V lies in [low, high), so the bracket is never empty.");
            exact = count <= Lanes;
            pivots = exact ? BracketAsPivots(set, count) : SamplePivots(set, count, maximum);
        }
    }

    /// <summary>Per lane of <paramref name="limits"/>: how many of the <paramref name="count"/> keys are &gt;= it.</summary>
    private static Vector256<int> CountAtOrAbove(int* keys, int count, Vector256<int> limits)
    {
        // Counts keys below each limit (AVX2 has only greater-than), in two accumulators; a lane's
        // compare result is -1, so subtracting it counts.
        Vector256<int> even = Vector256<int>.Zero, odd = Vector256<int>.Zero;
        int j = 0;
        for (; j + 1 < count; j += 2)
        {
            even -= Vector256.GreaterThan(limits, Vector256.Create(keys[j]));
            odd -= Vector256.GreaterThan(limits, Vector256.Create(keys[j + 1]));
        }
        if (j < count) even -= Vector256.GreaterThan(limits, Vector256.Create(keys[j]));
        return Vector256.Create(count) - (even + odd);
    }

    /// <summary>
    /// Copies the keys in [<paramref name="low"/>, <paramref name="high"/>) to
    /// <paramref name="destination"/> (may be <paramref name="keys"/> itself: writes never pass
    /// reads); returns how many, and their maximum.
    /// </summary>
    private static int PackRange(int* keys, int count, int low, int high, int* destination, out int maximum)
    {
        var lowVector = Vector256.Create(low);
        var highVector = Vector256.Create(high);
        var largest = Vector256.Create(int.MinValue);
        int found = 0;
        for (int i = 0; i < count; i += Lanes)
        {
            var key = Vector256.Load(keys + i);
            var inside = Vector256.AndNot(Vector256.GreaterThan(highVector, key), Vector256.GreaterThan(lowVector, key));
            if (count - i < Lanes) inside &= Vector256.LessThan(Vector256.CreateSequence(0, 1), Vector256.Create(count - i));
            largest = Vector256.Max(largest, Vector256.ConditionalSelect(inside, key, Vector256.Create(int.MinValue)));
            uint take = inside.ExtractMostSignificantBits();
            Pack(key, PackOrder(take)).Store(destination + found);
            found += BitOperations.PopCount(take);
        }
        maximum = HorizontalMax(largest);
        return found;
    }

    /// <summary>7 keys spread over the set plus its maximum (the maximum makes every round progress).</summary>
    public static Vector256<int> SamplePivots(int* keys, int count, int maximum)
    {
        int step = count / Lanes;
        return Vector256.Create(keys[0], keys[step], keys[2 * step], keys[3 * step], keys[4 * step], keys[5 * step], keys[6 * step], maximum);
    }

    /// <summary>The 1..8 keys of a small bracket as pivots, the unused lanes repeating the first key (any key would do: extra pivots never move the result).</summary>
    private static Vector256<int> BracketAsPivots(int* keys, int count)
    {
        var used = Vector256.LessThan(Vector256.CreateSequence(0, 1), Vector256.Create(count));
        return Vector256.ConditionalSelect(used, Vector256.Load(keys), Vector256.Create(keys[0]));
    }
}

using Mfr.Numerics;

namespace Mfr.Synthetic;

/// <summary>
/// Scalar specification of the weighted sampling without replacement that picks a synthetic sample's
/// features (SPEC 3), the reference for <see cref="WeightedSampling"/>. Efraimidis and Spirakis (2006):
/// item i with weight w_i gets the key u_i^(1/w_i), u_i uniform; the s items with the largest keys are
/// a weighted sample without replacement, distributed exactly like drawing one item at a time with
/// probability proportional to its weight and renormalising (numpy's <c>choice(replace=False, p=...)</c>).
/// Equivalently (taking -log) the s smallest of <c>-log(u_i) / w_i</c>, which is what both versions compute.
/// </summary>
internal static class WeightedSamplingReference
{
    /// <summary><c>keys[i] = -log(1 - u_i) * inverseWeights[i]</c>, with u_i = <see cref="Rng.NextDouble"/> drawn in i order (1 - u avoids log(0)).</summary>
    /// <param name="rng">The sample's generator; advanced by <c>keys.Length</c> doubles.</param>
    /// <param name="inverseWeights">1 / w_i, <c>[n]</c>.</param>
    /// <param name="keys">Output, <c>[n]</c>.</param>
    public static void ExponentialKeys(ref Rng rng, ReadOnlySpan<double> inverseWeights, Span<double> keys)
    {
        for (int i = 0; i < keys.Length; i++) keys[i] = -Math.Log(1.0 - rng.NextDouble()) * inverseWeights[i];
    }

    /// <summary>
    /// The positions of the <c>chosen.Length</c> smallest keys in ascending position order, by a full
    /// sort under the total order (key, position): among equal keys the lower position wins.
    /// </summary>
    /// <param name="keys">Keys, <c>[n]</c>, not NaN.</param>
    /// <param name="chosen">Output positions, <c>[s]</c>, s &lt;= n.</param>
    public static void SmallestInPositionOrder(ReadOnlySpan<double> keys, Span<int> chosen)
    {
        var order = new int[keys.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var copy = keys.ToArray();
        Array.Sort(order, (x, y) => copy[x] != copy[y] ? copy[x].CompareTo(copy[y]) : x.CompareTo(y));
        var smallest = order.AsSpan(0, chosen.Length);
        smallest.Sort();
        smallest.CopyTo(chosen);
    }
}

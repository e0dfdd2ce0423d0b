namespace Mfr.Numerics;

/// <summary>
/// Order-preserving int keys for floats, shared by the TopK variants: <c>a &lt; b</c> as floats
/// exactly when <c>Key(a) &lt; Key(b)</c> as ints. -0 is mapped to the key of +0 (the reference's
/// float comparison treats them as equal, so they tie and the lower column wins) and NaN to
/// <see cref="int.MinValue"/> (below every number, as <see cref="float.CompareTo(float)"/> orders it;
/// NaN never reaches TopK in practice, it must only not hang).
/// </summary>
internal static class TopKKeys
{
    /// <summary>Key of <paramref name="value"/>: flip the magnitude bits of negatives so ints compare like floats.</summary>
    public static int Key(float value)
    {
        if (float.IsNaN(value)) return int.MinValue;
        int bits = BitConverter.SingleToInt32Bits(value + 0f);
        return bits ^ ((bits >> 31) & int.MaxValue);
    }
}

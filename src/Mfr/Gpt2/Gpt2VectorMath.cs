using System.Numerics;
using System.Runtime.CompilerServices;

namespace Mfr.Gpt2;

/// <summary>
/// A vectorized <c>exp</c> for float. <see cref="Vector.Exp(Vector{float})"/> is not hardware-accelerated in
/// .NET 10 on x64 (measured slower than scalar <see cref="MathF.Exp"/>), and softmax over attention scores,
/// the GELU and the log-sum-exp over 50,257 logits all need millions of exponentials per sequence.
/// The scalar reference is <see cref="MathF.Exp"/>.
/// </summary>
internal static class Gpt2VectorMath
{
    // Cephes expf (Moshier, cephes/single/expf.c): exp(x) = 2^n exp(r), n = round(x log2 e),
    // r = x - n ln 2 in [-ln2/2, ln2/2] (ln 2 split in two constants for an exact reduction), exp(r) by a
    // degree-6 polynomial. Relative error about 1e-7.
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    // Inputs are clamped so that 2^n stays a normal float (n in [-126, 127]): below the low end exp
    // gives about 1e-38 instead of 0, above the high end exp(88) = 1.65e38 instead of infinity.
    private const float MaxInput = 88f;
    private const float MinInput = -87.3365447504f;

    /// <summary><c>exp(x)</c> per lane, relative error about 1e-7; inputs are clamped to <c>[-87.34, 88]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Exp(Vector<float> x)
    {
        x = Vector.Min(Vector.Max(x, new Vector<float>(MinInput)), new Vector<float>(MaxInput));
        var n = Vector.Floor(x * new Vector<float>(Log2E) + new Vector<float>(0.5f));
        var r = x - n * new Vector<float>(Ln2High) - n * new Vector<float>(Ln2Low);
        var r2 = r * r;
        var p = new Vector<float>(1.9875691500e-4f);
        p = p * r + new Vector<float>(1.3981999507e-3f);
        p = p * r + new Vector<float>(8.3334519073e-3f);
        p = p * r + new Vector<float>(4.1665795894e-2f);
        p = p * r + new Vector<float>(1.6666665459e-1f);
        p = p * r + new Vector<float>(5.0000001201e-1f);
        var expR = p * r2 + r + Vector<float>.One;
        var twoToN = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return expR * twoToN;
    }
}

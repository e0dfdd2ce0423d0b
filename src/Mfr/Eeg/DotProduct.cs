using System.Numerics;
using System.Runtime.InteropServices;

namespace Mfr.Eeg;

/// <summary>Double-precision dot product for the resampler's polyphase taps: a <see cref="Vector{T}"/> body and its scalar reference.</summary>
internal static class DotProduct
{
    /// <summary>sum_i x[i] y[i], vectorised (two accumulators, then a scalar tail).</summary>
    public static double Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Lengths differ: [{x.Length}] and [{y.Length}].", nameof(y));
        int count = Vector<double>.Count, i = 0;
        double sum = 0;
        if (x.Length >= 2 * count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y);
            Vector<double> first = Vector<double>.Zero, second = Vector<double>.Zero;
            int v = 0;
            for (; v + 1 < vx.Length; v += 2)
            {
                first += vx[v] * vy[v];
                second += vx[v + 1] * vy[v + 1];
            }
            if (v < vx.Length) first += vx[v] * vy[v];
            sum = Vector.Sum(first + second);
            i = vx.Length * count;
        }
        for (; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }

    /// <summary>Scalar reference: sum_i x[i] y[i] in index order.</summary>
    public static double Reference(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Lengths differ: [{x.Length}] and [{y.Length}].", nameof(y));
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}

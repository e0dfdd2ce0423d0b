using System.Numerics;

namespace Mfr.Eeg;

/// <summary>
/// Converts a digital filter from zeros, poles and gain to second-order sections exactly the way
/// scipy.signal.zpk2sos does with its default <c>pairing='nearest'</c> (scipy/signal/_filter_design.py:
/// <c>zpk2sos</c>, <c>_cplxreal</c>, <c>_nearest_real_complex_idx</c>, <c>_single_zpksos</c>), so that the
/// section order and pole/zero pairing, not just the overall response, equal scipy's.
/// </summary>
internal static class ZeroPoleGainToSections
{
    private enum ZeroKind
    {
        Real,
        Complex,
        Any,
    }

    /// <summary>Returns <c>[sectionCount, 6]</c> coefficients (b0 b1 b2 a0 a1 a2 per row, a0 = 1), gain in the first section.</summary>
    public static double[] Convert(IReadOnlyList<Complex> zeros, IReadOnlyList<Complex> poles, double gain)
    {
        if (zeros.Count == 0 && poles.Count == 0) return [gain, 0, 0, 1, 0, 0];

        var z = new List<Complex>(zeros);
        var p = new List<Complex>(poles);
        // Same number of poles and zeros (extra ones at the origin); an odd count gets one more pair at the origin.
        while (p.Count < z.Count) p.Add(Complex.Zero);
        while (z.Count < p.Count) z.Add(Complex.Zero);
        int sectionCount = (p.Count + 1) / 2;
        if (p.Count % 2 == 1)
        {
            p.Add(Complex.Zero);
            z.Add(Complex.Zero);
        }

        // One element per conjugate pair (positive imaginary part), then the real ones.
        z = CombineConjugates(z);
        p = CombineConjugates(p);

        var sections = new double[sectionCount * 6];
        // Built back to front, so the poles closest to the unit circle end up in the last sections.
        for (int section = sectionCount - 1; section >= 0; section--)
        {
            Complex p1 = TakeAt(p, IndexClosestToUnitCircle(p));
            Complex[] sectionZeros, sectionPoles;
            if (IsReal(p1) && p.Count(IsReal) == 0)
            {
                // Last remaining real pole: a first-order section padded with a pole and a zero at the origin.
                Complex z1 = TakeAt(z, NearestIndex(z, p1, ZeroKind.Real));
                sectionZeros = [z1, Complex.Zero];
                sectionPoles = [p1, Complex.Zero];
            }
            else if (p.Count + 1 == z.Count && !IsReal(p1) && p.Count(IsReal) == 1 && z.Count(IsReal) == 1)
            {
                // One real pole and one real zero left: this complex pole must take a complex zero.
                Complex z1 = TakeAt(z, NearestIndex(z, p1, ZeroKind.Complex));
                sectionZeros = [z1, Complex.Conjugate(z1)];
                sectionPoles = [p1, Complex.Conjugate(p1)];
            }
            else
            {
                Complex p2;
                if (IsReal(p1))
                {
                    var realIndices = Enumerable.Range(0, p.Count).Where(i => IsReal(p[i])).ToArray();
                    p2 = TakeAt(p, realIndices[IndexClosestToUnitCircle(realIndices.Select(i => p[i]).ToList())]);
                }
                else
                {
                    p2 = Complex.Conjugate(p1);
                }
                sectionPoles = [p1, p2];
                if (z.Count == 0)
                {
                    sectionZeros = [];
                }
                else
                {
                    Complex z1 = TakeAt(z, NearestIndex(z, p1, ZeroKind.Any));
                    if (!IsReal(z1)) sectionZeros = [z1, Complex.Conjugate(z1)];
                    else if (z.Count > 0) sectionZeros = [z1, TakeAt(z, NearestIndex(z, p1, ZeroKind.Real))];
                    else sectionZeros = [z1];
                }
            }
            WriteSection(sectionZeros, sectionPoles, sections.AsSpan(section * 6, 6));
        }
        for (int i = 0; i < 3; i++) sections[i] *= gain;
        return sections;
    }

    private static bool IsReal(Complex value) => value.Imaginary == 0;

    private static Complex TakeAt(List<Complex> values, int index)
    {
        Complex value = values[index];
        values.RemoveAt(index);
        return value;
    }

    /// <summary>argmin |1 - |p|| (first on ties, like numpy.argmin).</summary>
    private static int IndexClosestToUnitCircle(List<Complex> values)
    {
        int best = 0;
        for (int i = 1; i < values.Count; i++)
            if (Math.Abs(1 - values[i].Magnitude) < Math.Abs(1 - values[best].Magnitude)) best = i;
        return best;
    }

    /// <summary>The index of the element of <paramref name="from"/> of the given kind nearest to <paramref name="to"/>.</summary>
    private static int NearestIndex(List<Complex> from, Complex to, ZeroKind kind)
    {
        int best = -1;
        for (int i = 0; i < from.Count; i++)
        {
            if (kind == ZeroKind.Real && !IsReal(from[i])) continue;
            if (kind == ZeroKind.Complex && IsReal(from[i])) continue;
            if (best < 0 || (from[i] - to).Magnitude < (from[best] - to).Magnitude) best = i;
        }
        return best >= 0 ? best : throw new InvalidOperationException($"No {kind} zero left to pair with pole {to}.");
    }

    /// <summary>
    /// scipy's <c>_cplxreal</c>: sorts by real part then |imaginary part|, returns one value (positive imaginary
    /// part, averaged with its conjugate) per complex pair followed by the real values; tolerance 100 eps.
    /// </summary>
    private static List<Complex> CombineConjugates(List<Complex> values)
    {
        const double tolerance = 100 * 2.220446049250313e-16;
        var sorted = values.OrderBy(v => v.Real).ThenBy(v => Math.Abs(v.Imaginary)).ToList();
        var reals = sorted.Where(v => Math.Abs(v.Imaginary) <= tolerance * v.Magnitude).Select(v => new Complex(v.Real, 0)).ToList();
        var complexes = sorted.Where(v => Math.Abs(v.Imaginary) > tolerance * v.Magnitude).ToList();
        var positive = complexes.Where(v => v.Imaginary > 0).ToList();
        var negative = complexes.Where(v => v.Imaginary < 0).ToList();
        if (positive.Count != negative.Count)
            throw new ArgumentException("The filter has a complex zero or pole without its conjugate.");
        SortRunsOfEqualRealPart(positive, tolerance);
        SortRunsOfEqualRealPart(negative, tolerance);
        var combined = new List<Complex>(positive.Count + reals.Count);
        for (int i = 0; i < positive.Count; i++)
        {
            if ((positive[i] - Complex.Conjugate(negative[i])).Magnitude > tolerance * negative[i].Magnitude)
                throw new ArgumentException("The filter has a complex zero or pole without its conjugate.");
            combined.Add((positive[i] + Complex.Conjugate(negative[i])) / 2);
        }
        combined.AddRange(reals);
        return combined;
    }

    private static void SortRunsOfEqualRealPart(List<Complex> values, double tolerance)
    {
        int start = 0;
        while (start < values.Count)
        {
            int stop = start + 1;
            while (stop < values.Count && values[stop].Real - values[stop - 1].Real <= tolerance * values[stop - 1].Magnitude) stop++;
            var run = values.GetRange(start, stop - start).OrderBy(v => Math.Abs(v.Imaginary)).ToList();
            for (int i = 0; i < run.Count; i++) values[start + i] = run[i];
            start = stop;
        }
    }

    /// <summary>
    /// scipy's <c>_single_zpksos</c>: numerator and denominator polynomials right-aligned in b0..b2 and a0..a2
    /// (a single zero gives b = [0, 1, -z]).
    /// </summary>
    private static void WriteSection(Complex[] zeros, Complex[] poles, Span<double> section)
    {
        Span<double> b = stackalloc double[3];
        Span<double> a = stackalloc double[3];
        int numeratorLength = Polynomial(zeros, b);
        int denominatorLength = Polynomial(poles, a);
        section.Clear();
        b[..numeratorLength].CopyTo(section[(3 - numeratorLength)..3]);
        a[..denominatorLength].CopyTo(section[(6 - denominatorLength)..6]);
    }

    /// <summary>numpy.poly: coefficients of prod (x - root), highest power first; real part (roots come in conjugate pairs).</summary>
    private static int Polynomial(Complex[] roots, Span<double> coefficients)
    {
        Span<Complex> c = stackalloc Complex[roots.Length + 1];
        c[0] = Complex.One;
        for (int r = 0; r < roots.Length; r++)
        {
            for (int i = r + 1; i >= 1; i--) c[i] -= roots[r] * c[i - 1];
        }
        for (int i = 0; i <= roots.Length; i++) coefficients[i] = c[i].Real;
        return roots.Length + 1;
    }
}

namespace Mfr.Eeg;

/// <summary>
/// Windowed-sinc low-pass FIR design as scipy.signal.firwin(numtaps, cutoff, window=('kaiser', beta))
/// does it (scipy/signal/_fir_filter_design.py, windows/_windows.py <c>kaiser</c>), the filter
/// scipy.signal.resample_poly designs by default.
/// </summary>
internal static class KaiserFirDesign
{
    /// <summary>
    /// firwin with pass_zero=True, scale=True: h[n] = c sinc(c m) w[n], m = n - (taps - 1) / 2, then h /= sum(h)
    /// (unit gain at DC).
    /// </summary>
    /// <param name="tapCount">Number of taps (odd for a type-I filter).</param>
    /// <param name="cutoff">Cut-off relative to Nyquist, in (0, 1).</param>
    /// <param name="beta">Kaiser window shape parameter.</param>
    public static double[] LowPass(int tapCount, double cutoff, double beta)
    {
        if (tapCount < 1) throw new ArgumentOutOfRangeException(nameof(tapCount), tapCount, "At least one tap.");
        if (!(cutoff > 0 && cutoff < 1)) throw new ArgumentOutOfRangeException(nameof(cutoff), cutoff, "Cut-off must be in (0, 1) of Nyquist.");
        double[] window = KaiserWindow(tapCount, beta);
        double alpha = 0.5 * (tapCount - 1);
        var taps = new double[tapCount];
        double sum = 0;
        for (int n = 0; n < tapCount; n++)
        {
            taps[n] = cutoff * Sinc(cutoff * (n - alpha)) * window[n];
            sum += taps[n];
        }
        for (int n = 0; n < tapCount; n++) taps[n] /= sum;
        return taps;
    }

    /// <summary>Symmetric Kaiser window: w[n] = I0(beta sqrt(1 - ((n - a) / a)^2)) / I0(beta), a = (M - 1) / 2.</summary>
    public static double[] KaiserWindow(int length, double beta)
    {
        if (length <= 1) return Enumerable.Repeat(1.0, Math.Max(length, 0)).ToArray();
        var window = new double[length];
        double alpha = (length - 1) / 2.0;
        double denominator = BesselI0(beta);
        for (int n = 0; n < length; n++)
        {
            double ratio = (n - alpha) / alpha;
            window[n] = BesselI0(beta * Math.Sqrt(1 - ratio * ratio)) / denominator;
        }
        return window;
    }

    /// <summary>numpy.sinc: sin(pi x) / (pi x), 1 at x = 0.</summary>
    public static double Sinc(double x)
    {
        if (x == 0) return 1.0;
        double y = Math.PI * x;
        return Math.Sin(y) / y;
    }

    /// <summary>
    /// Modified Bessel function of the first kind, order 0, by its power series sum_k ((x/2)^k / k!)^2;
    /// all terms are positive, so it is accurate to a few ulp for the window's arguments (|x| &lt;= ~50).
    /// </summary>
    public static double BesselI0(double x)
    {
        double quarterSquare = x * x / 4;
        double term = 1.0, sum = 1.0;
        for (int k = 1; k < 500; k++)
        {
            term *= quarterSquare / ((double)k * k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }
}

using System.Globalization;
using System.Numerics;

namespace Mfr.Eeg;

/// <summary>
/// Digital Butterworth filter design, step for step as scipy.signal.butter(..., output='sos') does it
/// (scipy/signal/_filter_design.py: <c>iirfilter</c> -> <c>buttap</c> -> <c>lp2bp_zpk</c> ->
/// <c>bilinear_zpk</c> -> <c>zpk2sos</c> with pairing 'nearest'), so the sections equal scipy's to
/// rounding. Sections, not the (b, a) polynomial: at 500 Hz the polynomial form of an order-5
/// 0.5-45 Hz band-pass loses about 1.5% (SPEC section 5).
/// </summary>
public static class ButterworthFilter
{
    /// <summary>
    /// Band-pass design equal to <c>scipy.signal.butter(order, [lowHz, highHz], btype='bandpass', fs=samplingRateHz, output='sos')</c>:
    /// a filter of order 2 x <paramref name="order"/> in <paramref name="order"/> sections.
    /// </summary>
    /// <param name="order">Order of the low-pass prototype (the published EEG pipeline uses 5).</param>
    /// <param name="lowHz">Lower cut-off in Hz (-3 dB), 0 &lt; lowHz &lt; highHz.</param>
    /// <param name="highHz">Upper cut-off in Hz (-3 dB), below the Nyquist frequency.</param>
    /// <param name="samplingRateHz">Sampling rate of the signals to filter.</param>
    public static SosFilter BandPass(int order, double lowHz, double highHz, double samplingRateHz)
    {
        if (order is < 1 or > 32) throw new ArgumentOutOfRangeException(nameof(order), order, "The Butterworth order must be between 1 and 32.");
        if (!(samplingRateHz > 0) || !double.IsFinite(samplingRateHz))
            throw new ArgumentOutOfRangeException(nameof(samplingRateHz), samplingRateHz, "The sampling rate must be positive.");
        if (!(lowHz > 0) || !(highHz > lowHz) || !(highHz < samplingRateHz / 2))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Band-pass edges {lowHz}-{highHz} Hz must satisfy 0 < low < high < fs/2 = {samplingRateHz / 2} Hz."));

        // iirfilter: normalise to Nyquist (Wn = 2 f / fs), then pre-warp for the bilinear transform at fs = 2.
        const double designRate = 2.0;
        double warpedLow = 2 * designRate * Math.Tan(Math.PI * (2 * lowHz / samplingRateHz) / designRate);
        double warpedHigh = 2 * designRate * Math.Tan(Math.PI * (2 * highHz / samplingRateHz) / designRate);
        double bandwidth = warpedHigh - warpedLow;
        double center = Math.Sqrt(warpedLow * warpedHigh);

        Complex[] prototypePoles = PrototypePoles(order);
        (Complex[] zeros, Complex[] poles, double gain) = LowPassToBandPass(prototypePoles, 1.0, center, bandwidth);
        (zeros, poles, gain) = Bilinear(zeros, poles, gain, designRate);
        return new SosFilter(ZeroPoleGainToSections.Convert(zeros, poles, gain));
    }

    /// <summary>scipy <c>buttap</c>: poles -exp(i pi m / (2N)), m = -N+1, -N+3, ..., N-1 (m = 0 exactly real); no zeros, gain 1.</summary>
    internal static Complex[] PrototypePoles(int order)
    {
        var poles = new Complex[order];
        for (int i = 0; i < order; i++)
        {
            int m = -order + 1 + 2 * i;
            poles[i] = m == 0 ? new Complex(-1, 0) : -Complex.Exp(new Complex(0, Math.PI * m / (2 * order)));
        }
        return poles;
    }

    /// <summary>scipy <c>lp2bp_zpk</c> for a prototype without zeros: each pole becomes two, <c>degree</c> zeros go to the origin.</summary>
    internal static (Complex[] Zeros, Complex[] Poles, double Gain) LowPassToBandPass(Complex[] poles, double gain, double center, double bandwidth)
    {
        int degree = poles.Length;
        var bandPoles = new Complex[2 * degree];
        for (int i = 0; i < degree; i++)
        {
            Complex scaled = poles[i] * bandwidth / 2;
            Complex root = Complex.Sqrt(scaled * scaled - center * center);
            bandPoles[i] = scaled + root;
            bandPoles[degree + i] = scaled - root;
        }
        return (new Complex[degree], bandPoles, gain * Math.Pow(bandwidth, degree));
    }

    /// <summary>scipy <c>bilinear_zpk</c>: z = (2fs + s) / (2fs - s); zeros at infinity move to -1 (Nyquist).</summary>
    internal static (Complex[] Zeros, Complex[] Poles, double Gain) Bilinear(Complex[] zeros, Complex[] poles, double gain, double samplingRate)
    {
        double twiceRate = 2.0 * samplingRate;
        int degree = poles.Length - zeros.Length;
        var digitalZeros = new Complex[poles.Length];
        Complex numerator = Complex.One, denominator = Complex.One;
        for (int i = 0; i < zeros.Length; i++)
        {
            digitalZeros[i] = (twiceRate + zeros[i]) / (twiceRate - zeros[i]);
            numerator *= twiceRate - zeros[i];
        }
        for (int i = 0; i < degree; i++) digitalZeros[zeros.Length + i] = new Complex(-1, 0);
        var digitalPoles = new Complex[poles.Length];
        for (int i = 0; i < poles.Length; i++)
        {
            digitalPoles[i] = (twiceRate + poles[i]) / (twiceRate - poles[i]);
            denominator *= twiceRate - poles[i];
        }
        return (digitalZeros, digitalPoles, gain * (numerator / denominator).Real);
    }
}

namespace Mfr.Eeg;

/// <summary>
/// Rational-rate resampling equal to scipy.signal.resample_poly(x, up, down) with its defaults
/// (window ('kaiser', 5.0), padtype 'constant' = zeros beyond the signal): up and down are reduced by
/// their gcd; the anti-alias filter is firwin(2 * 10 * max(up, down) + 1, 1 / max(up, down),
/// window=('kaiser', 5.0)) times up; output sample i is the upsampled-filtered-downsampled signal at
/// upsampled position i * down with the filter centred there (scipy's n_pre_pad / n_pre_remove
/// alignment), and there are ceil(n * up / down) outputs. Computed polyphase: only the taps that meet
/// non-zero upsampled samples are multiplied.
/// </summary>
public sealed class PolyphaseResampler
{
    private const double KaiserBeta = 5.0;
    private const int HalfLengthPerRate = 10;

    private readonly double[] taps;
    private readonly double[][] reversedPhases;
    private readonly int halfLength;

    /// <summary>Creates a resampler by the factor <paramref name="up"/> / <paramref name="down"/> (reduced by their gcd).</summary>
    public PolyphaseResampler(int up, int down)
    {
        if (up < 1 || down < 1) throw new ArgumentOutOfRangeException(nameof(up), $"up ({up}) and down ({down}) must be at least 1.");
        int divisor = GreatestCommonDivisor(up, down);
        Up = up / divisor;
        Down = down / divisor;
        if (Up == 1 && Down == 1)
        {
            // resample_poly returns a copy; no filter is designed.
            taps = [1.0];
            reversedPhases = [[1.0]];
            return;
        }
        int maxRate = Math.Max(Up, Down);
        if (maxRate > 100_000) throw new ArgumentOutOfRangeException(nameof(up), $"The reduced ratio {Up}/{Down} needs a filter of {20 * maxRate + 1} taps; choose rates with a larger common divisor.");
        halfLength = HalfLengthPerRate * maxRate;
        taps = KaiserFirDesign.LowPass(2 * halfLength + 1, 1.0 / maxRate, KaiserBeta);
        for (int i = 0; i < taps.Length; i++) taps[i] *= Up;

        // Phase p holds taps p, p + up, p + 2 up, ... reversed, so each output is one contiguous dot product.
        reversedPhases = new double[Up][];
        for (int phase = 0; phase < Up; phase++)
        {
            int count = (taps.Length - phase + Up - 1) / Up;
            var reversed = new double[count];
            for (int m = 0; m < count; m++) reversed[count - 1 - m] = taps[phase + Up * m];
            reversedPhases[phase] = reversed;
        }
    }

    /// <summary>The resampler from <paramref name="sourceRateHz"/> to <paramref name="targetRateHz"/> (e.g. 500 -> 250: up 1, down 2).</summary>
    public static PolyphaseResampler FromRates(int sourceRateHz, int targetRateHz) => new(targetRateHz, sourceRateHz);

    /// <summary>Upsampling factor after reduction by the gcd.</summary>
    public int Up { get; }

    /// <summary>Downsampling factor after reduction by the gcd.</summary>
    public int Down { get; }

    /// <summary>A copy of the anti-alias filter (already multiplied by <see cref="Up"/>), <c>[20 max(Up, Down) + 1]</c>.</summary>
    public double[] Taps => (double[])taps.Clone();

    /// <summary>Output samples for <paramref name="inputLength"/> inputs: ceil(inputLength * Up / Down).</summary>
    public int OutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        long product = (long)inputLength * Up;
        return checked((int)((product + Down - 1) / Down));
    }

    /// <summary>Resamples <paramref name="input"/> into a new array of <see cref="OutputLength"/> samples.</summary>
    public double[] Resample(ReadOnlySpan<double> input)
    {
        var output = new double[OutputLength(input.Length)];
        Resample(input, output);
        return output;
    }

    /// <summary>Resamples <paramref name="input"/>.</summary>
    /// <param name="input">Signal, <c>[inputLength]</c>.</param>
    /// <param name="output">Resampled signal, <c>[OutputLength(inputLength)]</c>.</param>
    public void Resample(ReadOnlySpan<double> input, Span<double> output)
    {
        int expected = OutputLength(input.Length);
        if (output.Length != expected)
            throw new ArgumentException($"Output has [{output.Length}] samples; resampling [{input.Length}] by {Up}/{Down} gives [{expected}].", nameof(output));
        if (Up == 1 && Down == 1)
        {
            input.CopyTo(output);
            return;
        }
        for (int i = 0; i < output.Length; i++)
        {
            // Upsampled position i*down with the filter centre (tap halfLength) on it: tap j meets input q where
            // j = i*down + halfLength - up*q.
            long position = (long)i * Down + halfLength;
            int phase = (int)(position % Up);
            long lastInput = position / Up;
            double[] phaseTaps = reversedPhases[phase];
            long firstInput = lastInput - phaseTaps.Length + 1;
            int start = (int)Math.Max(0, -firstInput);
            int stop = (int)Math.Min(phaseTaps.Length, input.Length - firstInput);
            output[i] = stop > start
                ? DotProduct.Compute(phaseTaps.AsSpan(start, stop - start), input.Slice((int)(firstInput + start), stop - start))
                : 0.0;
        }
    }

    private static int GreatestCommonDivisor(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}

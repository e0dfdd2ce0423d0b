using System.Buffers;

namespace Mfr.Eeg;

/// <summary>
/// An IIR filter as a cascade of second-order sections in scipy's <c>sos</c> layout: row s is
/// <c>b0 b1 b2 a0 a1 a2</c> with a0 = 1, H(z) = prod_s (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2).
/// <see cref="Filter"/> is scipy.signal.sosfilt (transposed direct form II per section) and
/// <see cref="FilterZeroPhase"/> is scipy.signal.sosfiltfilt with its defaults (odd padding). All
/// arithmetic is in double.
/// </summary>
public sealed class SosFilter
{
    private readonly double[] coefficients;

    /// <summary>Wraps coefficients <c>[sectionCount, 6]</c> (row-major; every a0 must be 1, like scipy's <c>_validate_sos</c>).</summary>
    public SosFilter(double[] coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Length == 0 || coefficients.Length % 6 != 0)
            throw new ArgumentException($"Second-order sections need [sectionCount, 6] coefficients; got {coefficients.Length} values.", nameof(coefficients));
        for (int s = 0; s < coefficients.Length / 6; s++)
            if (coefficients[s * 6 + 3] != 1.0)
                throw new ArgumentException($"Section {s} has a0 = {coefficients[s * 6 + 3]}; every a0 must be 1.", nameof(coefficients));
        this.coefficients = (double[])coefficients.Clone();
    }

    /// <summary>Number of second-order sections.</summary>
    public int SectionCount => coefficients.Length / 6;

    /// <summary>A copy of the coefficients, <c>[SectionCount, 6]</c> row-major.</summary>
    public double[] Coefficients => (double[])coefficients.Clone();

    /// <summary>
    /// Samples of odd extension added at each end by <see cref="FilterZeroPhase"/>, scipy's default:
    /// <c>3 * (2 * sections + 1 - min(#(b2 == 0), #(a2 == 0)))</c>.
    /// </summary>
    public int PadLength
    {
        get
        {
            int zeroB2 = 0, zeroA2 = 0;
            for (int s = 0; s < SectionCount; s++)
            {
                if (coefficients[s * 6 + 2] == 0) zeroB2++;
                if (coefficients[s * 6 + 5] == 0) zeroA2++;
            }
            return 3 * (2 * SectionCount + 1 - Math.Min(zeroB2, zeroA2));
        }
    }

    /// <summary>
    /// Steady-state initial conditions for a unit step, scipy.signal.sosfilt_zi: per section
    /// <c>lfilter_zi(b, a)</c> times the DC gain of the sections before it.
    /// </summary>
    /// <returns><c>[SectionCount, 2]</c> row-major.</returns>
    public double[] InitialConditions()
    {
        var state = new double[SectionCount * 2];
        double scale = 1.0;
        for (int s = 0; s < SectionCount; s++)
        {
            double b0 = coefficients[s * 6], b1 = coefficients[s * 6 + 1], b2 = coefficients[s * 6 + 2];
            double a1 = coefficients[s * 6 + 4], a2 = coefficients[s * 6 + 5];
            // lfilter_zi solves (I - companion(a)^T) zi = b[1:] - a[1:] b0; for one section that 2x2
            // system is [[1 + a1, -1], [a2, 1]] zi = [b1 - a1 b0, b2 - a2 b0].
            double right0 = b1 - a1 * b0, right1 = b2 - a2 * b0;
            double zi0 = (right0 + right1) / (1 + a1 + a2);
            double zi1 = right1 - a2 * zi0;
            state[s * 2] = scale * zi0;
            state[s * 2 + 1] = scale * zi1;
            scale *= (b0 + b1 + b2) / (1 + a1 + a2);
        }
        return state;
    }

    /// <summary>Causal filtering from zero initial state (scipy.signal.sosfilt).</summary>
    /// <param name="input">Signal, <c>[sampleCount]</c>.</param>
    /// <param name="output">Filtered signal, <c>[sampleCount]</c> (may be the same memory as <paramref name="input"/>).</param>
    public void Filter(ReadOnlySpan<double> input, Span<double> output)
    {
        if (input.Length != output.Length)
            throw new ArgumentException($"Input [{input.Length}] and output [{output.Length}] lengths differ.", nameof(output));
        input.CopyTo(output);
        Span<double> state = stackalloc double[SectionCount * 2];
        state.Clear();
        FilterInPlace(output, state, reverse: false);
    }

    /// <summary>
    /// Zero-phase filtering, scipy.signal.sosfiltfilt(sos, x) with its defaults: odd extension of
    /// <see cref="PadLength"/> samples at both ends (2 x[0] - x[n..1] and 2 x[-1] - x[-2..]), forward pass
    /// from <see cref="InitialConditions"/> times the first extended sample, backward pass from the
    /// initial conditions times the last forward output, extension removed.
    /// </summary>
    /// <param name="input">Signal, <c>[sampleCount]</c>, more than <see cref="PadLength"/> samples.</param>
    /// <param name="output">Filtered signal, <c>[sampleCount]</c> (may be the same memory as <paramref name="input"/>).</param>
    /// <exception cref="ArgumentException">The signal is not longer than <see cref="PadLength"/> (scipy raises too).</exception>
    public void FilterZeroPhase(ReadOnlySpan<double> input, Span<double> output)
    {
        int length = input.Length, pad = PadLength;
        if (length != output.Length)
            throw new ArgumentException($"Input [{length}] and output [{output.Length}] lengths differ.", nameof(output));
        if (length <= pad)
            throw new ArgumentException($"The signal has {length} samples; zero-phase filtering needs more than the {pad}-sample padding (scipy.signal.sosfiltfilt's padlen).", nameof(input));

        double[] rented = ArrayPool<double>.Shared.Rent(length + 2 * pad);
        try
        {
            var extended = rented.AsSpan(0, length + 2 * pad);
            for (int i = 0; i < pad; i++)
            {
                extended[i] = 2 * input[0] - input[pad - i];
                extended[pad + length + i] = 2 * input[length - 1] - input[length - 2 - i];
            }
            input.CopyTo(extended.Slice(pad, length));

            double[] initial = InitialConditions();
            Span<double> state = stackalloc double[initial.Length];
            for (int i = 0; i < state.Length; i++) state[i] = initial[i] * extended[0];
            FilterInPlace(extended, state, reverse: false);
            for (int i = 0; i < state.Length; i++) state[i] = initial[i] * extended[^1];
            FilterInPlace(extended, state, reverse: true);
            extended.Slice(pad, length).CopyTo(output);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The sosfilt recursion (scipy/signal/_sosfilt.pyx), each sample through every section, transposed
    /// direct form II: y = b0 x + z0; z0 = b1 x - a1 y + z1; z1 = b2 x - a2 y. <paramref name="reverse"/>
    /// runs from the last sample to the first (the backward pass of filtfilt without copying).
    /// </summary>
    private void FilterInPlace(Span<double> data, Span<double> state, bool reverse)
    {
        int sections = SectionCount;
        ReadOnlySpan<double> c = coefficients;
        int step = reverse ? -1 : 1;
        for (int n = reverse ? data.Length - 1 : 0, remaining = data.Length; remaining > 0; n += step, remaining--)
        {
            double x = data[n];
            for (int s = 0; s < sections; s++)
            {
                ReadOnlySpan<double> row = c.Slice(s * 6, 6);
                double y = row[0] * x + state[2 * s];
                state[2 * s] = row[1] * x - row[4] * y + state[2 * s + 1];
                state[2 * s + 1] = row[2] * x - row[5] * y;
                x = y;
            }
            data[n] = x;
        }
    }
}

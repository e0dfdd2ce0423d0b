namespace Mfr.Reports.Svg;

/// <summary>
/// "Nice" tick positions. Linear ticks follow d3-array's <c>ticks</c>/<c>tickIncrement</c> (v3, file
/// src/ticks.js): the step is 1, 2 or 5 times a power of ten, chosen so that about <c>targetCount</c>
/// ticks fit, and each tick is computed as an integer times (or divided by) an exact integer so that
/// 0.3 comes out as 0.3, never 0.30000000000000004. Log ticks are the values m x 10^e (m = 1..9).
/// </summary>
public static class TickGenerator
{
    // d3's thresholds: pick the 1/2/5/10 factor whose log is nearest to the log of the raw step.
    private static readonly double Sqrt50 = Math.Sqrt(50), Sqrt10 = Math.Sqrt(10), Sqrt2 = Math.Sqrt(2);

    /// <summary>
    /// Tick values in [<paramref name="min"/>, <paramref name="max"/>] spaced 1, 2 or 5 x 10^p, about
    /// <paramref name="targetCount"/> of them. A zero-width domain gives the single value.
    /// </summary>
    /// <param name="min">Lower end of the domain (finite).</param>
    /// <param name="max">Upper end of the domain (finite, &gt;= <paramref name="min"/>).</param>
    /// <param name="targetCount">Wanted number of intervals (&gt;= 1); the result has between about half and twice as many ticks.</param>
    public static double[] LinearTicks(double min, double max, int targetCount)
    {
        ValidateDomain(min, max, targetCount);
        if (min == max) return [min];
        var (first, last, increment) = TickSpec(min, max, targetCount);
        if (last < first) return [];
        var ticks = new double[(int)(last - first + 1)];
        for (int i = 0; i < ticks.Length; i++)
        {
            double index = first + i;
            ticks[i] = increment < 0 ? index / -increment : index * increment;
        }
        return ticks;
    }

    /// <summary>The (positive) spacing of <see cref="LinearTicks"/> for the same arguments; 0 for a zero-width domain.</summary>
    /// <param name="min">Lower end of the domain.</param>
    /// <param name="max">Upper end of the domain.</param>
    /// <param name="targetCount">Wanted number of intervals.</param>
    public static double LinearTickStep(double min, double max, int targetCount)
    {
        ValidateDomain(min, max, targetCount);
        if (min == max) return 0;
        double increment = TickSpec(min, max, targetCount).Increment;
        return increment < 0 ? 1 / -increment : increment;
    }

    /// <summary>
    /// Extends [<paramref name="min"/>, <paramref name="max"/>] outwards to multiples of the tick step, as
    /// d3's <c>linear.nice(count)</c> does (repeated until the step stops changing), so the axis starts and
    /// ends on a labelled tick.
    /// </summary>
    /// <param name="min">Lower end of the domain.</param>
    /// <param name="max">Upper end of the domain (&gt; <paramref name="min"/> to have an effect).</param>
    /// <param name="targetCount">Wanted number of intervals.</param>
    public static (double Min, double Max) NiceLinearDomain(double min, double max, int targetCount)
    {
        ValidateDomain(min, max, targetCount);
        double previous = double.NaN;
        for (int iteration = 0; iteration < 10 && min < max; iteration++)
        {
            double increment = TickSpec(min, max, targetCount).Increment;
            if (increment == previous) break;
            if (increment > 0)
            {
                min = Math.Floor(min / increment) * increment;
                max = Math.Ceiling(max / increment) * increment;
            }
            else
            {
                min = Math.Ceiling(min * increment) / increment;
                max = Math.Floor(max * increment) / increment;
            }
            previous = increment;
        }
        return (min, max);
    }

    /// <summary>Extends a positive domain outwards to whole decades (10^floor(log10 min), 10^ceil(log10 max)).</summary>
    /// <param name="min">Lower end, &gt; 0.</param>
    /// <param name="max">Upper end, &gt;= <paramref name="min"/>.</param>
    public static (double Min, double Max) NiceLogDomain(double min, double max)
    {
        if (!(min > 0) || !double.IsFinite(max) || max < min)
        {
            throw new ArgumentException($"A log domain needs 0 < min <= max < infinity; got [{min}, {max}].");
        }
        return (PowerOfTen(FloorLog10(min)), PowerOfTen(CeilingLog10(max)));
    }

    /// <summary>
    /// Extends a positive domain outwards to the nearest values 1, 2 or 5 x 10^e (a loss from 2.4 to 8.3
    /// gets [2, 10], not [1, 10]; from 0.31 to 8.3, [0.2, 10], not [0.1, 10]): an axis fitted to its data
    /// rather than to whole decades, which would flatten a curve spanning less than one.
    /// </summary>
    /// <param name="min">Lower end, &gt; 0.</param>
    /// <param name="max">Upper end, &gt;= <paramref name="min"/>.</param>
    public static (double Min, double Max) NiceLogDomainOneTwoFive(double min, double max)
    {
        var (decadeMin, decadeMax) = NiceLogDomain(min, max);
        int low = FloorLog10(decadeMin), high = FloorLog10(decadeMax);
        double lower = decadeMin, upper = decadeMax;
        foreach (int mantissa in (ReadOnlySpan<int>)[2, 5])
        {
            // m x 10^e computed as in LogCandidates, so that 5 x 10^-3 is the double nearest 0.005.
            double below = OneTwoFive(mantissa, low), above = OneTwoFive(mantissa, high - 1);
            if (below <= min * (1 + 1e-12)) lower = below;
            if (above >= max * (1 - 1e-12) && above < upper) upper = above;
        }
        return (lower, upper);
    }

    private static double OneTwoFive(int mantissa, int exponent) => exponent >= 0 ? mantissa * PowerOfTen(exponent) : mantissa / PowerOfTen(-exponent);

    /// <summary>10^<paramref name="exponent"/> as the double nearest to the exact power (exact up to 10^22).</summary>
    /// <param name="exponent">Decimal exponent.</param>
    public static double PowerOfTen(int exponent)
    {
        // Math.Pow(10, n) is exact for 0 <= n <= 22; dividing 1 by an exact power rounds correctly, which
        // Math.Pow(10, -n) does not promise.
        if (exponent >= 0) return Math.Pow(10, exponent);
        return exponent >= -22 ? 1.0 / Math.Pow(10, -exponent) : Math.Pow(10, exponent);
    }

    /// <summary>All values m x 10^e (m = 1..9) inside [<paramref name="min"/>, <paramref name="max"/>], ascending.</summary>
    internal static List<LogTickCandidate> LogCandidates(double min, double max)
    {
        var candidates = new List<LogTickCandidate>();
        int low = FloorLog10(min), high = CeilingLog10(max);
        for (int exponent = low; exponent <= high; exponent++)
        {
            for (int mantissa = 1; mantissa <= 9; mantissa++)
            {
                double value = exponent >= 0 ? mantissa * PowerOfTen(exponent) : mantissa / PowerOfTen(-exponent);
                if (value >= min * (1 - 1e-12) && value <= max * (1 + 1e-12)) candidates.Add(new LogTickCandidate(value, mantissa, exponent));
            }
        }
        return candidates;
    }

    /// <summary>floor(log10 value), robust to log10 rounding just below an exact power of ten.</summary>
    internal static int FloorLog10(double value)
    {
        int exponent = (int)Math.Floor(Math.Log10(value));
        if (PowerOfTen(exponent + 1) <= value) exponent++;
        else if (PowerOfTen(exponent) > value) exponent--;
        return exponent;
    }

    /// <summary>ceil(log10 value), robust in the same way as <see cref="FloorLog10"/>.</summary>
    internal static int CeilingLog10(double value)
    {
        int exponent = FloorLog10(value);
        return PowerOfTen(exponent) == value ? exponent : exponent + 1;
    }

    /// <summary>
    /// d3's tickSpec: ticks are <c>i * Increment</c> for i in [First, Last] when Increment &gt; 0, and
    /// <c>i / -Increment</c> when Increment &lt; 0 (steps below 1, kept as an exact integer divisor).
    /// </summary>
    private static (double First, double Last, double Increment) TickSpec(double start, double stop, double count)
    {
        double step = (stop - start) / Math.Max(0, count);
        int power = (int)Math.Floor(Math.Log10(step));
        double error = step / Math.Pow(10, power);
        double factor = error >= Sqrt50 ? 10 : error >= Sqrt10 ? 5 : error >= Sqrt2 ? 2 : 1;
        double first, last, increment;
        if (power < 0)
        {
            increment = Math.Pow(10, -power) / factor;
            first = RoundHalfUp(start * increment);
            last = RoundHalfUp(stop * increment);
            if (first / increment < start) first++;
            if (last / increment > stop) last--;
            increment = -increment;
        }
        else
        {
            increment = Math.Pow(10, power) * factor;
            first = RoundHalfUp(start / increment);
            last = RoundHalfUp(stop / increment);
            if (first * increment < start) first++;
            if (last * increment > stop) last--;
        }
        if (last < first && count >= 0.5 && count < 2) return TickSpec(start, stop, count * 2);
        return (first, last, increment);
    }

    // JavaScript's Math.round (d3 relies on it): halves go towards +infinity.
    private static double RoundHalfUp(double value) => Math.Floor(value + 0.5);

    private static void ValidateDomain(double min, double max, int targetCount)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || max < min)
        {
            throw new ArgumentException($"Tick domain must be finite with min <= max; got [{min}, {max}].");
        }
        if (targetCount < 1) throw new ArgumentException($"Tick target count must be >= 1; got {targetCount}.");
    }
}

namespace Mfr.Reports.Svg;

/// <summary>
/// Base-10 logarithmic map from a positive domain to a pixel range. Ticks: every m x 10^e inside the
/// domain is a tick mark; decades are major (gridline, label); 2 and 5 are labelled too while that keeps
/// the labels within the target count; with too many decades only every n-th decade is labelled. A
/// domain spanning less than one labelled 1-2-5 pair falls back to linear ticks, as d3's log scale does.
/// </summary>
public sealed class LogScale : IScale
{
    private readonly double logMin, logMax;
    private readonly LogTickNotation notation;

    /// <summary>Creates the scale.</summary>
    /// <param name="domainMin">Smallest data value (&gt; 0, &lt; <paramref name="domainMax"/>).</param>
    /// <param name="domainMax">Largest data value (finite).</param>
    /// <param name="rangeStart">Pixel position of <paramref name="domainMin"/>.</param>
    /// <param name="rangeEnd">Pixel position of <paramref name="domainMax"/>.</param>
    /// <param name="notation">How tick labels are written.</param>
    public LogScale(double domainMin, double domainMax, double rangeStart, double rangeEnd, LogTickNotation notation = LogTickNotation.Auto)
    {
        if (!(domainMin > 0) || !double.IsFinite(domainMax) || !(domainMin < domainMax))
        {
            throw new ArgumentException($"A log scale needs a finite domain with 0 < min < max; got [{domainMin}, {domainMax}].");
        }
        ScaleValidation.ValidateRange(rangeStart, rangeEnd);
        DomainMin = domainMin;
        DomainMax = domainMax;
        RangeStart = rangeStart;
        RangeEnd = rangeEnd;
        logMin = Math.Log10(domainMin);
        logMax = Math.Log10(domainMax);
        this.notation = notation;
    }

    /// <inheritdoc/>
    public double DomainMin { get; }

    /// <inheritdoc/>
    public double DomainMax { get; }

    /// <inheritdoc/>
    public double RangeStart { get; }

    /// <inheritdoc/>
    public double RangeEnd { get; }

    /// <inheritdoc/>
    public bool CanMap(double value) => value > 0 && double.IsFinite(value);

    /// <inheritdoc/>
    public double Map(double value) => RangeStart + (Math.Log10(value) - logMin) / (logMax - logMin) * (RangeEnd - RangeStart);

    /// <inheritdoc/>
    public double Invert(double position) => Math.Pow(10, logMin + (position - RangeStart) / (RangeEnd - RangeStart) * (logMax - logMin));

    /// <summary>The same scale with its domain extended to whole decades.</summary>
    public LogScale Nice()
    {
        var (min, max) = TickGenerator.NiceLogDomain(DomainMin, DomainMax);
        return new LogScale(min, max, RangeStart, RangeEnd, notation);
    }

    /// <inheritdoc/>
    public IReadOnlyList<AxisTick> Ticks(int targetCount)
    {
        if (targetCount < 1) throw new ArgumentException($"Tick target count must be >= 1; got {targetCount}.");
        List<LogTickCandidate> candidates = TickGenerator.LogCandidates(DomainMin, DomainMax);
        int oneTwoFive = candidates.Count(c => c.Mantissa is 1 or 2 or 5);
        if (oneTwoFive < 2) return new LinearScale(DomainMin, DomainMax, RangeStart, RangeEnd).Ticks(targetCount);

        int decades = candidates.Count(c => c.Mantissa == 1);
        Func<LogTickCandidate, bool> labelled;
        bool withMinorMarks = true;
        if (oneTwoFive <= targetCount) labelled = c => c.Mantissa is 1 or 2 or 5;
        else if (decades <= targetCount) labelled = c => c.Mantissa == 1;
        else
        {
            // Too many decades: label every stride-th one and drop the 2..9 marks, which would be a smear.
            int stride = (decades + targetCount - 1) / targetCount;
            labelled = c => c.Mantissa == 1 && ((c.Exponent % stride) + stride) % stride == 0;
            withMinorMarks = false;
        }
        return BuildTicks(candidates, labelled, withMinorMarks);
    }

    private AxisTick[] BuildTicks(List<LogTickCandidate> candidates, Func<LogTickCandidate, bool> labelled, bool withMinorMarks)
    {
        var kept = candidates.Where(c => withMinorMarks || c.Mantissa == 1).ToList();
        var labelledOnes = kept.Where(labelled).ToList();
        string[] labels = TickLabelFormatter.FormatLog(
            labelledOnes.Select(c => c.Mantissa).ToArray(), labelledOnes.Select(c => c.Exponent).ToArray(), notation);
        var ticks = new AxisTick[kept.Count];
        int next = 0;
        for (int i = 0; i < kept.Count; i++)
        {
            bool isLabelled = labelled(kept[i]);
            ticks[i] = new AxisTick(kept[i].Value, isLabelled ? labels[next++] : "", IsMajor: kept[i].Mantissa == 1 || isLabelled);
        }
        return ticks;
    }
}

namespace Mfr.Reports.Svg;

/// <summary>Linear map from [domainMin, domainMax] to [rangeStart, rangeEnd] with d3-style 1-2-5 ticks.</summary>
public sealed class LinearScale : IScale
{
    /// <summary>Creates the scale.</summary>
    /// <param name="domainMin">Smallest data value (finite, &lt; <paramref name="domainMax"/>).</param>
    /// <param name="domainMax">Largest data value (finite).</param>
    /// <param name="rangeStart">Pixel position of <paramref name="domainMin"/>.</param>
    /// <param name="rangeEnd">Pixel position of <paramref name="domainMax"/> (finite, differs from <paramref name="rangeStart"/>).</param>
    public LinearScale(double domainMin, double domainMax, double rangeStart, double rangeEnd)
    {
        if (!double.IsFinite(domainMin) || !double.IsFinite(domainMax) || !(domainMin < domainMax))
        {
            throw new ArgumentException($"A linear scale needs a finite domain with min < max; got [{domainMin}, {domainMax}].");
        }
        ScaleValidation.ValidateRange(rangeStart, rangeEnd);
        DomainMin = domainMin;
        DomainMax = domainMax;
        RangeStart = rangeStart;
        RangeEnd = rangeEnd;
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
    public bool CanMap(double value) => double.IsFinite(value);

    /// <inheritdoc/>
    public double Map(double value) => RangeStart + (value - DomainMin) / (DomainMax - DomainMin) * (RangeEnd - RangeStart);

    /// <inheritdoc/>
    public double Invert(double position) => DomainMin + (position - RangeStart) / (RangeEnd - RangeStart) * (DomainMax - DomainMin);

    /// <summary>The same scale with its domain extended to whole tick steps (see <see cref="TickGenerator.NiceLinearDomain"/>).</summary>
    /// <param name="targetCount">Wanted number of tick intervals.</param>
    public LinearScale Nice(int targetCount)
    {
        var (min, max) = TickGenerator.NiceLinearDomain(DomainMin, DomainMax, targetCount);
        return new LinearScale(min, max, RangeStart, RangeEnd);
    }

    /// <inheritdoc/>
    public IReadOnlyList<AxisTick> Ticks(int targetCount)
    {
        double[] values = TickGenerator.LinearTicks(DomainMin, DomainMax, targetCount);
        double step = TickGenerator.LinearTickStep(DomainMin, DomainMax, targetCount);
        string[] labels = TickLabelFormatter.FormatLinear(values, step);
        var ticks = new AxisTick[values.Length];
        for (int i = 0; i < values.Length; i++) ticks[i] = new AxisTick(values[i], labels[i], IsMajor: true);
        return ticks;
    }
}

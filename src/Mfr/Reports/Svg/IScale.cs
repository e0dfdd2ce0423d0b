namespace Mfr.Reports.Svg;

/// <summary>
/// A continuous mapping from a data domain [<see cref="DomainMin"/>, <see cref="DomainMax"/>] to a pixel
/// range [<see cref="RangeStart"/>, <see cref="RangeEnd"/>] (the range may run backwards, as a y axis does:
/// larger values higher up means smaller pixel y).
/// </summary>
public interface IScale
{
    /// <summary>Smallest value of the domain.</summary>
    double DomainMin { get; }

    /// <summary>Largest value of the domain.</summary>
    double DomainMax { get; }

    /// <summary>Pixel position of <see cref="DomainMin"/>.</summary>
    double RangeStart { get; }

    /// <summary>Pixel position of <see cref="DomainMax"/>.</summary>
    double RangeEnd { get; }

    /// <summary>Whether <paramref name="value"/> can be placed on this scale (finite; positive for a log scale).</summary>
    bool CanMap(double value);

    /// <summary>The pixel position of <paramref name="value"/> (values outside the domain extrapolate).</summary>
    double Map(double value);

    /// <summary>The data value at pixel <paramref name="position"/>; the inverse of <see cref="Map"/>.</summary>
    double Invert(double position);

    /// <summary>Ticks inside the domain with formatted labels, aiming at about <paramref name="targetCount"/> labelled ticks.</summary>
    IReadOnlyList<AxisTick> Ticks(int targetCount);
}

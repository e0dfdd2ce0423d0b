namespace Mfr.Reports.Svg;

/// <summary>A candidate log tick <c>Mantissa x 10^Exponent</c> with its value.</summary>
internal readonly record struct LogTickCandidate(double Value, int Mantissa, int Exponent);

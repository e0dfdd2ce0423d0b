namespace Mfr.Reports.Svg;

/// <summary>Argument checks shared by the scales.</summary>
internal static class ScaleValidation
{
    public static void ValidateRange(double rangeStart, double rangeEnd)
    {
        if (!double.IsFinite(rangeStart) || !double.IsFinite(rangeEnd) || rangeStart == rangeEnd)
        {
            throw new ArgumentException($"A scale needs a finite pixel range of non-zero length; got [{rangeStart}, {rangeEnd}].");
        }
    }
}

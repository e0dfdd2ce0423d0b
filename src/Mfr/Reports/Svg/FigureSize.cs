namespace Mfr.Reports.Svg;

/// <summary>Bounds on figure sizes: small enough to stay sane, big enough for axes and labels to fit.</summary>
internal static class FigureSize
{
    public static void Validate(int widthPx, int heightPx)
    {
        if (widthPx is < 160 or > 4000 || heightPx is < 120 or > 4000)
        {
            throw new ArgumentException($"Figure size must be 160..4000 x 120..4000 px; got {widthPx} x {heightPx}.");
        }
    }
}

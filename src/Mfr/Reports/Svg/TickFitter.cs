namespace Mfr.Reports.Svg;

/// <summary>
/// Picks the largest tick count whose labels do not collide: starts at the count the axis length suggests
/// and asks the scale for fewer ticks until neighbouring labels keep <see cref="Theme.LabelGap"/> apart
/// (horizontally) or a line height apart (vertically). For log scales fewer ticks first drops the 2 and 5
/// labels, then labels every n-th decade.
/// </summary>
internal static class TickFitter
{
    public static IReadOnlyList<AxisTick> FitHorizontal(IScale scale, int targetCount) => Fit(scale, targetCount, horizontal: true);

    public static IReadOnlyList<AxisTick> FitVertical(IScale scale, int targetCount) => Fit(scale, targetCount, horizontal: false);

    /// <summary>Category labels under bar groups; every n-th label when they would collide.</summary>
    public static IReadOnlyList<AxisTick> FitBands(BandScale band)
    {
        double widest = band.Categories.Count == 0 ? 0 : band.Categories.Max(c => TextMetrics.Width(c, Theme.FontSize));
        double spacing = band.Categories.Count > 1 ? band.Center(1) - band.Center(0) : double.PositiveInfinity;
        int stride = Math.Max(1, (int)Math.Ceiling((widest + Theme.LabelGap) / spacing));
        return band.Categories.Select((category, index) => new AxisTick(index, index % stride == 0 ? category : "", IsMajor: true)).ToList();
    }

    private static IReadOnlyList<AxisTick> Fit(IScale scale, int targetCount, bool horizontal)
    {
        IReadOnlyList<AxisTick> ticks = scale.Ticks(Math.Max(1, targetCount));
        for (int count = targetCount - 1; count >= 1 && Collides(scale, ticks, horizontal); count--) ticks = scale.Ticks(count);
        return ticks;
    }

    private static bool Collides(IScale scale, IReadOnlyList<AxisTick> ticks, bool horizontal)
    {
        var labelled = ticks.Where(t => t.IsLabelled).Select(t => (Position: scale.Map(t.Value), t.Label)).OrderBy(t => t.Position).ToList();
        for (int i = 1; i < labelled.Count; i++)
        {
            double distance = labelled[i].Position - labelled[i - 1].Position;
            double needed = horizontal
                ? (TextMetrics.Width(labelled[i].Label, Theme.FontSize) + TextMetrics.Width(labelled[i - 1].Label, Theme.FontSize)) / 2 + Theme.LabelGap
                : Theme.FontSize + 4;
            if (distance < needed) return true;
        }
        return false;
    }
}

namespace Mfr.Reports.Svg;

/// <summary>
/// Categorical x scale for bar groups (d3's scaleBand): equal bands with padding between them
/// (<c>paddingInner</c>, a fraction of the step) and at both ends (<c>paddingOuter</c>).
/// </summary>
internal sealed class BandScale
{
    private readonly double rangeStart, step;

    public BandScale(IReadOnlyList<string> categories, double rangeStart, double rangeEnd, double paddingInner = 0.3, double paddingOuter = 0.2)
    {
        Categories = categories;
        int count = Math.Max(1, categories.Count);
        step = (rangeEnd - rangeStart) / (count - paddingInner + 2 * paddingOuter);
        Bandwidth = step * (1 - paddingInner);
        this.rangeStart = rangeStart + step * paddingOuter;
    }

    public IReadOnlyList<string> Categories { get; }

    public double Bandwidth { get; }

    public double BandStart(int index) => rangeStart + index * step;

    public double Center(int index) => BandStart(index) + Bandwidth / 2;
}

namespace Mfr.Reports.Svg;

/// <summary>How an axis maps data values to pixel positions.</summary>
public enum ScaleKind
{
    /// <summary>Position proportional to the value (<see cref="LinearScale"/>).</summary>
    Linear,

    /// <summary>Position proportional to log10 of the value; only positive values are drawn (<see cref="LogScale"/>).</summary>
    Log,
}

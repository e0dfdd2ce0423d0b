namespace Mfr.Reports.Svg;

/// <summary>Unconnected translucent dots (many latents: overlap shows as darker colour).</summary>
internal sealed record ScatterSeries(string Name, string Color, double[] X, double[] Y, double RadiusPx, double Opacity)
    : ChartSeries(Name, Color);

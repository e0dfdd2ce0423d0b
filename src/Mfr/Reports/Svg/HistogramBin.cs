namespace Mfr.Reports.Svg;

/// <summary>A drawable histogram bin: its index, box, the pixel y of its top and of the baseline.</summary>
internal readonly record struct HistogramBin(int Index, Rect Box, double Top, double Baseline);

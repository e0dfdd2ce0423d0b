namespace Mfr.Reports.Svg;

/// <summary>Fonts, colours and spacing of every chart, in one place.</summary>
internal static class Theme
{
    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
    public const double FontSize = 11;
    public const double SmallFontSize = 10;
    public const double AxisTitleFontSize = 12;
    public const double TitleFontSize = 14;
    public const double SubtitleFontSize = 11.5;
    public const double FigureTitleFontSize = 15;

    public const string TextColor = "#222222";
    public const string MutedTextColor = "#555555";
    public const string AxisColor = "#444444";
    public const string GridColor = "#e8e8e8";
    public const string Background = "#ffffff";

    public const double Padding = 8;
    public const double TickLength = 5;
    public const double MinorTickLength = 3;
    public const double TitleBand = 20;
    public const double SubtitleBand = 16;
    public const double AxisTitleBand = 18;
    public const double FigureTitleBand = 30;

    /// <summary>Pixels per tick interval aimed at (d3's usual ~1 tick per 80-100 px across, 50 px up).</summary>
    public const double XTickSpacing = 90;
    public const double YTickSpacing = 50;

    /// <summary>Width of the zero-bin column of a histogram's x axis, and the axis break between it and the scale.</summary>
    public const double ZeroBinWidth = 30;
    public const double ZeroBinGap = 12;

    /// <summary>Least free space between neighbouring tick labels.</summary>
    public const double LabelGap = 8;
}

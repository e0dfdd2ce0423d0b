namespace Mfr.Reports.Svg;

/// <summary>
/// The Okabe-Ito colour-blind-safe palette (Okabe and Ito 2008, "Color Universal Design"), ordered for
/// lines on white: the strong blue and vermillion first (baseline vs MFR), the pale yellow last.
/// </summary>
public static class Palette
{
    /// <summary>Okabe-Ito blue.</summary>
    public const string Blue = "#0072B2";

    /// <summary>Okabe-Ito vermillion.</summary>
    public const string Vermillion = "#D55E00";

    /// <summary>Okabe-Ito bluish green.</summary>
    public const string BluishGreen = "#009E73";

    /// <summary>Okabe-Ito reddish purple.</summary>
    public const string ReddishPurple = "#CC79A7";

    /// <summary>Okabe-Ito orange.</summary>
    public const string Orange = "#E69F00";

    /// <summary>Okabe-Ito sky blue.</summary>
    public const string SkyBlue = "#56B4E9";

    /// <summary>Black.</summary>
    public const string Black = "#000000";

    /// <summary>Okabe-Ito yellow (weak on white; last in the cycle).</summary>
    public const string Yellow = "#F0E442";

    /// <summary>Neutral grey used for reference lines.</summary>
    public const string Grey = "#666666";

    /// <summary>The colour cycle, in the order series receive colours.</summary>
    public static IReadOnlyList<string> Cycle { get; } = [Blue, Vermillion, BluishGreen, ReddishPurple, Orange, SkyBlue, Black, Yellow];

    /// <summary>Colour number <paramref name="index"/> of the cycle (wraps around).</summary>
    /// <param name="index">Series index, &gt;= 0.</param>
    public static string ColorAt(int index)
    {
        if (index < 0) throw new ArgumentException($"Colour index must be >= 0; got {index}.");
        return Cycle[index % Cycle.Count];
    }

    /// <summary>Whether <paramref name="color"/> is a <c>#RRGGBB</c> hex colour (the only form charts accept, so nothing else reaches the SVG).</summary>
    /// <param name="color">Candidate colour.</param>
    public static bool IsHexColor(string color) =>
        color.Length == 7 && color[0] == '#' && color.AsSpan(1).ContainsAnyExcept("0123456789abcdefABCDEF") == false;
}

using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Mfr.Tests.Reports.Svg;

/// <summary>Parses SVG output with System.Xml.Linq (so it must be well-formed) and answers structural questions.</summary>
internal sealed partial class SvgProbe
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public SvgProbe(string svg)
    {
        Text = svg;
        Root = XDocument.Parse(svg).Root!;
    }

    public string Text { get; }

    public XElement Root { get; }

    /// <summary>Elements whose class attribute holds all of <paramref name="classes"/>.</summary>
    public List<XElement> WithClasses(params string[] classes) => WithClasses(Root, classes);

    public static List<XElement> WithClasses(XElement scope, params string[] classes) =>
        scope.Descendants().Where(e => HasClasses(e, classes)).ToList();

    public static bool HasClasses(XElement element, params string[] classes)
    {
        string[] own = ((string?)element.Attribute("class") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return classes.All(own.Contains);
    }

    /// <summary>Descendants with the given local name (namespace-agnostic, for inline SVG too).</summary>
    public static List<XElement> Named(XElement scope, string localName) => scope.Descendants().Where(e => e.Name.LocalName == localName).ToList();

    public static double Number(XElement element, string attribute) =>
        double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);

    /// <summary>The subpaths of path data made of M and L commands ("M1,2L3,4M5,6...").</summary>
    public static List<List<(double X, double Y)>> Subpaths(string pathData)
    {
        var subpaths = new List<List<(double X, double Y)>>();
        foreach (Match command in CommandPattern().Matches(pathData))
        {
            var point = (double.Parse(command.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(command.Groups[3].Value, CultureInfo.InvariantCulture));
            if (command.Groups[1].Value == "M") subpaths.Add([]);
            subpaths[^1].Add(point);
        }
        return subpaths;
    }

    /// <summary>The texts of all text elements under <paramref name="scope"/>, in document order.</summary>
    public static List<string> Texts(XElement scope) => Named(scope, "text").Select(t => t.Value).ToList();

    [GeneratedRegex(@"([ML])(-?[\d.]+),(-?[\d.]+)")]
    private static partial Regex CommandPattern();
}

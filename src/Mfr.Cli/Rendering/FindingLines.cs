using Mfr.Experiments;
using Mfr.Reports;

namespace Mfr.Cli.Rendering;

/// <summary>
/// Prints findings known before training (e.g. <see cref="FindingKind.ReinitializationWithinSamplingNoise"/>) at a
/// command's start, one line each, as the result's findings read after its tables (<see cref="FindingList.Line"/>).
/// </summary>
internal static class FindingLines
{
    public static void Write(TextWriter writer, IEnumerable<Finding> findings)
    {
        foreach (var finding in findings) writer.WriteLine(FindingList.Line(finding));
    }
}

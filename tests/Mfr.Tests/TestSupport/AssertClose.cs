using System.Text;

namespace Mfr.Tests.TestSupport;

/// <summary>
/// Tolerance comparison for float arrays (STYLE.md 11): passes when every element satisfies
/// <c>|actual - expected| &lt;= absolute + relative * |expected|</c>; otherwise fails listing the
/// first mismatches and the maximum difference.
/// </summary>
public static class AssertClose
{
    public static void Equal(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double absolute, double relative, string what = "values")
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}.");
        var report = new StringBuilder();
        int failures = 0;
        double maxDifference = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)actual[i] - expected[i]);
            if (double.IsNaN(difference) && !(float.IsNaN(expected[i]) && float.IsNaN(actual[i]))) difference = double.PositiveInfinity;
            if (double.IsNaN(difference)) continue;
            maxDifference = Math.Max(maxDifference, difference);
            if (difference > absolute + relative * Math.Abs(expected[i]))
            {
                if (failures < 8) report.Append($"\n  [{i}] expected {expected[i]:R}, got {actual[i]:R} (diff {difference:G3})");
                failures++;
            }
        }
        Assert.True(failures == 0, $"{what}: {failures} of {expected.Length} outside abs {absolute:G3} + rel {relative:G3}; max diff {maxDifference:G3}{report}");
    }

    public static void Equal(double expected, double actual, double absolute, double relative, string what = "value")
    {
        double difference = Math.Abs(actual - expected);
        Assert.True(difference <= absolute + relative * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R} (diff {difference:G3}).");
    }
}

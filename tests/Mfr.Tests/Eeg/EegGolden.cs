using System.Text.Json;

namespace Mfr.Tests.Eeg;

/// <summary>Reads the scipy golden files of tools/golden/eeg_filter_golden.py and compares double arrays.</summary>
internal static class EegGolden
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static T Read<T>(string fileName) => JsonSerializer.Deserialize<T>(File.ReadAllText(EegTestData.Golden(fileName)), Options)!;

    /// <summary>max |actual - expected| / RMS(expected): the error measure "relative to signal RMS".</summary>
    public static double MaxErrorRelativeToRms(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double sumSquares = 0, maxError = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            sumSquares += expected[i] * expected[i];
            maxError = Math.Max(maxError, Math.Abs(actual[i] - expected[i]));
        }
        return maxError / Math.Sqrt(sumSquares / expected.Length);
    }

    /// <summary>Asserts |actual - expected| &lt;= absolute + relative |expected| elementwise, naming the first mismatch.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double absolute, double relative, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(actual[i] - expected[i]);
            Assert.True(difference <= absolute + relative * Math.Abs(expected[i]),
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (diff {difference:G3}).");
        }
    }
}

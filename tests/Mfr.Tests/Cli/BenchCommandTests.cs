using System.Globalization;
using System.Text.RegularExpressions;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Cli;

/// <summary>`mfr bench --scaling-rounds`: the same steps at 1 and more threads, read against the machine's own FMA speed-up.</summary>
public sealed class BenchCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args) => CliRun.Invoke(args);

    [Fact]
    public void ScalingRounds_TimeEachThreadCountInEachRound_AndSummariseTheSpeedups()
    {
        int before = global::Mfr.Numerics.Parallelism.MaxThreads;
        try
        {
            // When two rounds are timed at up to 2 threads on a small shape (the default d, which the generator's groups need)
            var (code, output, error) = Run("bench", "--scaling-rounds", "2", "--threads", "2", "--steps", "2", "--batch-size", "32", "--latents", "16", "--k", "2");

            // Then each round has a row per count (1 and 2), progress went to stderr, and the summary gives the 2-thread figures
            Assert.True(code == 0, error);
            foreach (string round in new[] { "1", "2" })
            {
                Assert.Matches(new Regex($@"^\s+{round}\s+1\s+[0-9.]+\s+[0-9]+\s*$", RegexOptions.Multiline), output);
                Assert.Matches(new Regex($@"^\s+{round}\s+2\s+[0-9.]+\s+[0-9.]+\s+[0-9]+\s+[0-9.]+\s+[0-9]+%\s*$", RegexOptions.Multiline), output);
                Assert.Contains($"round {round}, 2 thread(s): median step", error);
            }
            var summary = Regex.Match(output, @"2 threads, median over 2 round\(s\): step speed-up ([0-9.]+)x, the machine's FMA speed-up ([0-9.]+)x");
            Assert.True(summary.Success, output);
            Assert.True(double.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture) > 0);
            Assert.Matches(@"by phase: [A-Za-z]+ [0-9.]+x", output);
        }
        finally
        {
            global::Mfr.Numerics.Parallelism.MaxThreads = before;
        }
    }

    [Fact]
    public void MfrBench_SaysWhatTheAssignmentRefreshesOfTheTimedStepsCost_AgainstTheirProductsAtPeak()
    {
        // When a coupled pair is timed for 4 steps after 3 of warm-up, refreshed every 2 steps (5 and 7 fall in the timed ones)
        var (code, output, error) = Run("bench", "--mode", "mfr", "--k", "2", "4", "--refresh", "2", "--steps", "4", "--batch-size", "32", "--latents", "16");
        var (baselineCode, baselineOutput, baselineError) = Run("bench", "--steps", "1", "--batch-size", "32", "--latents", "16", "--k", "2");

        // Then the refreshes' line gives their count, split and ratio; a baseline has no such line
        Assert.True(code == 0, error);
        Assert.Matches(@"assignment refreshes: 2 in the 4 timed steps, [0-9.]+ ms each = products [0-9.]+ \+ solver [0-9.]+ ms; .* costs [0-9.]+x its products at peak", output);
        Assert.True(baselineCode == 0, baselineError);
        Assert.DoesNotContain("assignment refreshes", baselineOutput);
    }

    [Theory]
    [InlineData("-1", "2", "--scaling-rounds (scalingRounds) must be at least 0, got -1.")]
    [InlineData("1", "1", "--scaling-rounds compares thread counts, but only 1 thread is available (--threads 1).")]
    public void ScalingRounds_ThatCannotCompareThreadCounts_AreAUsageError(string rounds, string threads, string message)
    {
        var (code, _, error) = Run("bench", "--scaling-rounds", rounds, "--threads", threads, "--steps", "1");

        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }
}

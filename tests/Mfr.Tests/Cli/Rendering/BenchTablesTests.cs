using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Tests.Cli.Rendering;

/// <summary>`mfr bench`'s text when the FMA probes next to the steps could not be read.</summary>
public sealed class BenchTablesTests
{
    private static BenchResult Result(double encoderShare, IReadOnlyList<double> refreshRatios)
    {
        var phases = new Dictionary<StepTimer.Phase, double> { [StepTimer.Phase.Encoder] = 5, [StepTimer.Phase.Data] = 1 };
        var steps = new StepBenchmarkResult(4, 10, 12, phases, 300, 2, 100 << 20, 100 << 20)
        {
            EncoderGflopsMedian = 310,
            EncoderShareOfAdjacentFmaRate = encoderShare,
            Refreshes = new AssignmentRefreshFigures(2, 30, 20, 10, 5) { OverProductsAtProbedRates = refreshRatios },
        };
        return new BenchResult(new BenchConfig(), steps, new FmaPeakResult(400, 2, 512), "synthetic");
    }

    [Fact]
    public void Render_WhenNoProbeWasValid_SaysSo_InsteadOfPrintingNaN()
    {
        // When every probe after a step and after a refresh failed to start its threads together (NaN figures)
        string output = BenchTables.Render(Result(double.NaN, [double.NaN, double.NaN]));

        // Then both lines say the figure was not measured, and no NaN reaches the user
        Assert.DoesNotContain("NaN", output);
        Assert.Contains("against the FMA rate probed after each step: not measured, no probe ran on all threads at once", output);
        Assert.Contains("against the FMA rate probed right after each refresh: not measured, no probe ran on all threads at once", output);
    }

    [Fact]
    public void Render_WithSomeValidProbes_GivesTheirMedian_AndHowManyThereWere()
    {
        // When the encoder had 87% of its probes' rate and one of two refreshes' probes was valid (1.42x)
        string output = BenchTables.Render(Result(0.87, [double.NaN, 1.42]));

        // Then the share and the ratio are printed with the count of valid probes behind the ratio
        Assert.Contains("against the FMA rate probed after each step: 87% (median over steps)", output);
        Assert.Contains("(1.42x at the FMA rate probed right after each refresh, median of 1)", output);
    }
}

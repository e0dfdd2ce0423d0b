using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Tests.Training;

public sealed class StepBenchmarkTests
{
    [Fact]
    public void Run_TimesEveryPhase_AndReadsPeakMemoryHalfwayAndAtTheEnd()
    {
        // Given a tiny shape
        using var source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 16, FeatureCount: 48, ActiveFeatures: 3, Seed: 2));

        // When
        var result = StepBenchmark.Run([new SaeConfig(16, 32, 4)], source, batchSize: 64, mfr: null, warmupSteps: 1, steps: 4);

        // Then
        Assert.Equal(4, result.Steps);
        Assert.True(result.MedianStepMilliseconds > 0);
        Assert.All(Enum.GetValues<StepTimer.Phase>(), phase => Assert.True(result.PhaseMillisecondsPerStep.ContainsKey(phase)));
        Assert.True(result.PeakWorkingSetHalfwayBytes > 1 << 20, $"halfway peak {result.PeakWorkingSetHalfwayBytes} bytes");
        Assert.True(result.PeakWorkingSetEndBytes >= result.PeakWorkingSetHalfwayBytes);
        // (NaN only when the kernel pool was busy with another test's job at every probe)
        Assert.True(double.IsNaN(result.EncoderShareOfAdjacentFmaRate) || result.EncoderShareOfAdjacentFmaRate is > 1e-6 and < 2.0, $"{result.EncoderShareOfAdjacentFmaRate}");
        // The probes' median rate is a machine's FMA rate: above a GFLOP/s, far below a TFLOP/s per core (NaN as above)
        Assert.True(double.IsNaN(result.ProbedFmaGflopsMedian) || result.ProbedFmaGflopsMedian is > 1 and < 1000 * 64, $"{result.ProbedFmaGflopsMedian}");
    }

    [Fact]
    public void Run_StopsBetweenSteps_WhenCancelled_AsMfrBenchOnCtrlCOrSigterm()
    {
        // Given a benchmark of 20,000 tiny steps (minutes with a probe after each) and a cancellation 0.3 s into it
        var data = Mfr.Data.DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: 16, FeatureCount: 48, ActiveFeatures: 3, Seed: 2));
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(TimeSpan.FromSeconds(0.3));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // When it runs
        var error = Record.Exception(() => StepBenchmark.Run([new SaeConfig(16, 32, 4)], data, batchSize: 64, mfr: null, warmupSteps: 1, steps: 20_000,
            cancellation: cancellation.Token));

        // Then it stops at a step boundary with the cancellation (the CLI's signal handler keeps the process alive until then)
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"stopped only after {clock.Elapsed}");
    }

    [Fact]
    public void Run_OneTimedStep_MedianEncoderRateIsTheMeanRate()
    {
        // Given one timed step: its encoder time is both the median and the mean of the encoder times
        using var source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 16, FeatureCount: 48, ActiveFeatures: 3, Seed: 2));

        // When
        var result = StepBenchmark.Run([new SaeConfig(16, 32, 4)], source, batchSize: 64, mfr: null, warmupSteps: 1, steps: 1);

        // Then the per-step encoder time covers exactly that step's encoder phase
        Assert.True(result.EncoderGflops > 0);
        Assert.Equal(result.EncoderGflops, result.EncoderGflopsMedian, result.EncoderGflops * 1e-9);
    }

    [Fact]
    public void Run_WithTheMfrPenalty_CountsTheRefreshesOfTheTimedStepsOnly_WithTheirProductFlops()
    {
        // Given a pair (h 32 and 48, d 16) refreshed every 2 steps: steps 1, 3, 5 and 7; step 1 is the warm-up
        using var source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: 16, FeatureCount: 48, ActiveFeatures: 3, Seed: 2));
        var mfr = new MfrConfig(MfrMode.Penalty, AssignmentRefreshSteps: 2);

        // When steps 2 to 7 are timed
        var result = StepBenchmark.Run([new SaeConfig(16, 32, 4), new SaeConfig(16, 48, 4)], source, batchSize: 64, mfr, warmupSteps: 1, steps: 6);
        var baseline = StepBenchmark.Run([new SaeConfig(16, 32, 4)], source, batchSize: 64, mfr: null, warmupSteps: 1, steps: 2);

        // Then the refreshes of steps 3, 5 and 7 are counted, each with the one product's 2 * 32 * 48 * 16 flops
        var refreshes = Assert.IsType<AssignmentRefreshFigures>(result.Refreshes);
        Assert.Equal(3, refreshes.Count);
        Assert.Equal(2.0 * 32 * 48 * 16 / 1e9, refreshes.ProductGflopPerRefresh, 1e-15);
        Assert.True(refreshes.MeanMilliseconds >= refreshes.MeanProductMilliseconds + refreshes.MeanSolverMilliseconds - 1e-9);
        // and each of the three, not the steps between them, is read against the FMA rate probed after its step
        Assert.Equal(3, refreshes.OverProductsAtProbedRates.Count);
        Assert.All(refreshes.OverProductsAtProbedRates, ratio => Assert.True(double.IsNaN(ratio) || ratio > 0));
        Assert.Null(baseline.Refreshes);
    }

    [Fact]
    public void RefreshFigures_ReadAgainstThePeak_AreTheProductsFlopsAtThatRate()
    {
        // 145 GFLOP at 450 GFLOP/s take 322.2 ms; a 580 ms refresh is 1.8x that
        var refreshes = new AssignmentRefreshFigures(2, 580, 430, 150, 145);

        Assert.Equal(145.0 / 450 * 1000, refreshes.ProductMillisecondsAtPeak(450), 1e-9);
        Assert.Equal(1.8, refreshes.OverProductsAtPeak(450), 1e-9);
    }

    [Fact]
    public void RefreshFigures_AgainstTheProbedRates_TakeTheMedianOfTheValidProbes()
    {
        // Given four refreshes, one of whose probes was invalid
        var refreshes = new AssignmentRefreshFigures(4, 580, 430, 150, 145) { OverProductsAtProbedRates = [1.9, double.NaN, 1.2, 1.5] };

        // Then the median is that of the three valid ones, and the order of the list is kept
        Assert.Equal(1.5, refreshes.MedianOverProductsAtProbedRate);
        Assert.Equal([1.9, double.NaN, 1.2, 1.5], refreshes.OverProductsAtProbedRates);
        Assert.True(double.IsNaN(new AssignmentRefreshFigures(0, 0, 0, 0, 0).MedianOverProductsAtProbedRate));
    }
}

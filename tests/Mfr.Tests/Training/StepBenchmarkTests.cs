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
}

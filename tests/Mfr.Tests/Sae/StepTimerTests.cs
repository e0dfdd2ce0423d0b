using Mfr.Sae;

namespace Mfr.Tests.Sae;

public sealed class StepTimerTests
{
    public sealed class Transfer
    {
        [Fact]
        public void MovesTicksBetweenPhases_NeverMoreThanTheSourceHolds()
        {
            // Given: some time in the encoder phase.
            var timer = new StepTimer();
            timer.Start();
            Thread.Sleep(5);
            timer.Stop(StepTimer.Phase.Encoder);
            double encoder = timer.Seconds(StepTimer.Phase.Encoder);
            long quarter = (long)(encoder / 4 * System.Diagnostics.Stopwatch.Frequency);

            // When
            timer.Transfer(StepTimer.Phase.Encoder, StepTimer.Phase.TopK, quarter);
            timer.Transfer(StepTimer.Phase.Decode, StepTimer.Phase.Backward, 1000);

            // Then
            Assert.Equal(encoder, timer.Seconds(StepTimer.Phase.Encoder) + timer.Seconds(StepTimer.Phase.TopK), 12);
            Assert.Equal(quarter / (double)System.Diagnostics.Stopwatch.Frequency, timer.Seconds(StepTimer.Phase.TopK), 12);
            Assert.Equal(0, timer.Seconds(StepTimer.Phase.Decode));
            Assert.Equal(0, timer.Seconds(StepTimer.Phase.Backward));
        }
    }
}

using System.Diagnostics;

namespace Mfr.Sae;

/// <summary>
/// Accumulates wall time per phase of a training step, so `mfr bench` can show where the time
/// goes (encoder product, TopK, decode, backward, optimiser, regulariser). Not thread-safe: one
/// timer per training loop.
/// </summary>
public sealed class StepTimer
{
    /// <summary>Phases of a step, in order.</summary>
    public enum Phase
    {
        /// <summary>The dense encoder product a = W x + b.</summary>
        Encoder,
        /// <summary>Per-row TopK selection.</summary>
        TopK,
        /// <summary>Sparse decode, loss and its gradient.</summary>
        Decode,
        /// <summary>Sparse backward into dL/dW, dL/db.</summary>
        Backward,
        /// <summary>AdamW and decoder renormalisation.</summary>
        Optimizer,
        /// <summary>MFR penalty, assignment, re-initialisation checks.</summary>
        Regularizer,
        /// <summary>Producing the batch.</summary>
        Data,
    }

    private readonly long[] ticks = new long[Enum.GetValues<Phase>().Length];
    private long started;

    /// <summary>Starts timing a phase (ends at the next <see cref="Stop"/>).</summary>
    public void Start() => started = Stopwatch.GetTimestamp();

    /// <summary>Adds the time since <see cref="Start"/> to <paramref name="phase"/> and restarts.</summary>
    public void Stop(Phase phase)
    {
        long now = Stopwatch.GetTimestamp();
        ticks[(int)phase] += now - started;
        started = now;
    }

    /// <summary>
    /// Moves <paramref name="stopwatchTicks"/> from one phase to another: a fused kernel timed as one phase reports how
    /// long the part belonging to the other took (the encoder product runs the TopK on its finished rows).
    /// </summary>
    public void Transfer(Phase from, Phase to, long stopwatchTicks)
    {
        long moved = Math.Clamp(stopwatchTicks, 0, Math.Max(0, ticks[(int)from]));
        ticks[(int)from] -= moved;
        ticks[(int)to] += moved;
    }

    /// <summary>Total seconds spent in <paramref name="phase"/>.</summary>
    public double Seconds(Phase phase) => ticks[(int)phase] / (double)Stopwatch.Frequency;

    /// <summary>Clears all totals.</summary>
    public void Reset() => Array.Clear(ticks);
}

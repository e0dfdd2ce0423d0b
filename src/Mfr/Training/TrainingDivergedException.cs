namespace Mfr.Training;

/// <summary>
/// Training produced a non-finite loss or parameter (issue 13, class 4): the run stops at that step, keeps its
/// last good checkpoint and never saves the broken SAEs as final. The message is one line,
/// "training diverged at step N (SAE m: ...)", and the usual cure is a smaller learning rate.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for step <paramref name="step"/> and SAE <paramref name="saeIndex"/>.</summary>
    /// <param name="step">1-based step whose loss or update was not finite.</param>
    /// <param name="saeIndex">Position of the SAE in the ensemble.</param>
    /// <param name="reason">What was not finite ("loss is NaN", "W row 3 is not finite after the update").</param>
    /// <param name="advice">What to do about it, appended to the message (may be empty).</param>
    public TrainingDivergedException(long step, int saeIndex, string reason, string advice = "")
        : base($"training diverged at step {step} (SAE {saeIndex}: {reason}){(advice.Length > 0 ? "; " + advice : "")}")
    {
        Step = step;
        SaeIndex = saeIndex;
        Reason = reason;
    }

    /// <summary>1-based step at which the loss or the parameters became non-finite.</summary>
    public long Step { get; }

    /// <summary>The SAE that diverged first.</summary>
    public int SaeIndex { get; }

    /// <summary>What was not finite.</summary>
    public string Reason { get; }
}

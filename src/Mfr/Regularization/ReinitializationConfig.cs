namespace Mfr.Regularization;

/// <summary>
/// Conditional re-initialisation (SPEC 2): an SAE whose <see cref="ActivityDeviation"/> score on a
/// batch exceeds <see cref="Threshold"/> is drawn afresh, its optimiser reset, and the batch
/// recomputed.
/// </summary>
/// <param name="Threshold">theta; the paper uses 2.5.</param>
/// <param name="WindowSteps">Check only during the first this-many steps; 0 checks every step of the run (the published code). The paper observes bad initialisations show within ~100 steps.</param>
/// <param name="MaxAttemptsPerStep">Re-draws allowed within one step before training goes on with the last draw.</param>
public sealed record ReinitializationConfig(double Threshold = 2.5, long WindowSteps = 100, int MaxAttemptsPerStep = 10)
{
    /// <summary>Whether step <paramref name="step"/> (1-based) is checked.</summary>
    public bool Checks(long step) => WindowSteps == 0 || step <= WindowSteps;

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        if (!(Threshold > 0)) throw new ArgumentException($"Re-initialisation threshold must be positive, got {Threshold}.");
        if (WindowSteps < 0) throw new ArgumentException($"Re-initialisation window must be 0 (whole run) or positive, got {WindowSteps}.");
        if (MaxAttemptsPerStep < 1) throw new ArgumentException($"Re-initialisation attempts per step must be at least 1, got {MaxAttemptsPerStep}.");
    }
}

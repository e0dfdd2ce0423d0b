namespace Mfr.Numerics;

/// <summary>
/// The per-step scalars of an AdamW update, precomputed in double by <see cref="Adam"/>:
/// <c>p = p Decay - StepSize m / (sqrt(v InverseBiasCorrection2) + Epsilon)</c> after the moment updates.
/// </summary>
/// <param name="Decay"><c>1 - lr * weightDecay</c> (decoupled weight decay).</param>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="OneMinusBeta1"><c>1 - beta1</c>.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="OneMinusBeta2"><c>1 - beta2</c>.</param>
/// <param name="StepSize"><c>lr / (1 - beta1^t)</c>.</param>
/// <param name="InverseBiasCorrection2"><c>1 / (1 - beta2^t)</c>.</param>
/// <param name="Epsilon">Added to the root of the corrected second moment.</param>
internal readonly record struct AdamCoefficients(float Decay, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float StepSize, float InverseBiasCorrection2, float Epsilon);

using System.Text.Json.Serialization;

namespace Mfr.Regularization;

/// <summary>
/// Mutual Feature Regularization settings (SPEC 2): the penalty
/// <c>P = beta * w(t) * mean over pairs (1 - MMCS)</c> and conditional re-initialisation.
/// </summary>
/// <param name="Mode">Which parts are on (baseline, reinit, penalty, mfr).</param>
/// <param name="Beta">Penalty scale; null means auto: chosen at step 1 so the penalty equals the initial reconstruction loss.</param>
/// <param name="WarmupSteps">T_w of the cosine warm-up w(t); 0 disables the warm-up.</param>
/// <param name="Reinitialization">Threshold and window of the re-initialisation check.</param>
/// <param name="AssignmentRefreshSteps">Solve the assignment anew every this-many steps (1 = exact every step); between refreshes the matched pairs are held and only their cosines are recomputed.</param>
public sealed record MfrConfig(
    MfrMode Mode = MfrMode.Mfr,
    [property: JsonConverter(typeof(BetaJsonConverter))] double? Beta = null,
    int WarmupSteps = 100,
    ReinitializationConfig? Reinitialization = null,
    int AssignmentRefreshSteps = 1)
{
    /// <summary>Whether the penalty is on.</summary>
    [JsonIgnore]
    public bool UsesPenalty => Mode is MfrMode.Penalty or MfrMode.Mfr;

    /// <summary>Whether re-initialisation is on.</summary>
    [JsonIgnore]
    public bool UsesReinitialization => Mode is MfrMode.Reinit or MfrMode.Mfr;

    /// <summary>The re-initialisation settings in force (defaults when unset).</summary>
    [JsonIgnore]
    public ReinitializationConfig ReinitializationSettings => Reinitialization ?? new ReinitializationConfig();

    /// <summary>w(t) for 1-based step t: 0.5 (1 + cos(pi (T_w - t) / T_w)) for t &lt; T_w, else 1.</summary>
    public double WarmupWeight(long step) =>
        WarmupSteps > 0 && step < WarmupSteps ? 0.5 * (1 + Math.Cos(Math.PI * (WarmupSteps - step) / WarmupSteps)) : 1.0;

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        if (Beta is double beta && !(beta >= 0 && double.IsFinite(beta))) throw new ArgumentException($"Beta must be 'auto' or a non-negative number, got {beta}.");
        if (WarmupSteps < 0) throw new ArgumentException($"Warm-up steps must be non-negative, got {WarmupSteps}.");
        if (AssignmentRefreshSteps < 1) throw new ArgumentException($"Assignment refresh interval must be at least 1 step, got {AssignmentRefreshSteps}.");
        ReinitializationSettings.Validate();
    }
}

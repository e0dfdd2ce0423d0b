namespace Mfr.Training;

/// <summary>A logged re-initialisation (SPEC 2: every re-initialisation is logged).</summary>
/// <param name="Step">1-based step at which it happened.</param>
/// <param name="Sae">Index of the SAE in the ensemble.</param>
/// <param name="Score">The activity-deviation score that triggered it.</param>
/// <param name="Count">How many times this SAE has now been re-initialised.</param>
public sealed record ReinitializationEvent(long Step, int Sae, double Score, int Count);

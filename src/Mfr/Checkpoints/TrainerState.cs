namespace Mfr.Checkpoints;

/// <summary>Everything besides weights and moments that a resumed run needs (trainer_state.json).</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="ElapsedSeconds">Wall time spent so far.</param>
/// <param name="OptimizerSteps">Adam step count per SAE (reset by re-initialisation).</param>
/// <param name="ReinitializationCounts">Re-initialisations per SAE.</param>
/// <param name="LastFiredStep">Per SAE, per latent, the last step it fired (dead-latent tracking).</param>
/// <param name="RegularizerState">The regulariser's named arrays.</param>
public sealed record TrainerState(
    long Step,
    double ElapsedSeconds,
    long[] OptimizerSteps,
    int[] ReinitializationCounts,
    long[][] LastFiredStep,
    Dictionary<string, double[]> RegularizerState);

namespace Mfr.Training;

/// <summary>Progress of a training run, reported after each step (the CLI draws its live line from it).</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps in the run.</param>
/// <param name="SamplesPerSecond">Throughput since this process started training.</param>
/// <param name="Remaining">Estimated time to the end.</param>
/// <param name="Metrics">The step's metrics.</param>
public sealed record TrainingProgress(long Step, long TotalSteps, double SamplesPerSecond, TimeSpan Remaining, StepMetrics Metrics);

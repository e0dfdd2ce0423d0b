namespace Mfr.Eeg;

/// <summary>A prepared EEG cache.</summary>
/// <param name="TrainPath">train.npy: float32 <c>[TrainSegmentCount, VectorLength]</c>.</param>
/// <param name="HeldOutPath">heldout.npy: float32 <c>[HeldOutSegmentCount, VectorLength]</c>.</param>
/// <param name="ManifestPath">manifest.json.</param>
/// <param name="Manifest">The manifest's content.</param>
/// <param name="Reused">True when an existing cache with identical inputs and settings was returned without recomputing.</param>
public sealed record EegDatasetCacheResult(string TrainPath, string HeldOutPath, string ManifestPath, EegCacheManifest Manifest, bool Reused);

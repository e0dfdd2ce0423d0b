namespace Mfr.Numerics;

/// <summary>
/// One entry of the inverted index built by <see cref="SparseScatter"/>: a sample using the latent
/// and the two coefficients it scatters with. Stored together (12 bytes) so that filling the index,
/// which appends to one stream per latent, touches one cache line per stream instead of three.
/// </summary>
/// <param name="Sample">Sample (row of the vectors) index b.</param>
/// <param name="CoefficientA">Scale of vectorsA[b] for this latent.</param>
/// <param name="CoefficientB">Scale of vectorsB[b] for this latent.</param>
internal readonly record struct ScatterEntry(int Sample, float CoefficientA, float CoefficientB);

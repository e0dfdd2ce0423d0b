using Mfr.Data;

namespace Mfr.Synthetic;

/// <summary>
/// A generated source whose true features are known: the built-in benchmark (<see cref="SyntheticDataSource"/>) and
/// SynthSAEBench (<see cref="SynthSaeBench.SynthSaeBenchSource"/>). Ground-truth recovery (GT MMCS, recovery at a cosine
/// threshold) and every other measure against the truth take the features from here, so experiments treat both alike.
/// </summary>
public interface IGroundTruthSource : IVectorSource
{
    /// <summary>The true features as rows, <c>[FeatureCount, Dimension]</c>.</summary>
    ReadOnlySpan<float> TrueFeatures { get; }

    /// <summary>n, the number of true features.</summary>
    int FeatureCount { get; }
}

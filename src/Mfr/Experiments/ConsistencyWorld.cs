using Mfr.Data;

namespace Mfr.Experiments;

/// <summary>
/// The data world of a consistency measurement: what the runs train on (their <see cref="DataSpecification"/>) and,
/// when the world is generated (SynthSAEBench or the paper's generator), its true features, against which recovery
/// and stability are measured.
/// </summary>
/// <param name="Data">The runs' data.</param>
/// <param name="TrueFeatures">True features as rows, <c>[FeatureCount, dimension]</c>; null for a file (no ground truth).</param>
/// <param name="FeatureCount">n (0 without ground truth).</param>
internal sealed record ConsistencyWorld(DataSpecification Data, float[]? TrueFeatures, int FeatureCount)
{
    /// <summary>The world of <paramref name="config"/>: its SynthSAEBench world (with the data seed) or its file.</summary>
    public static ConsistencyWorld For(ConsistencyExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Of(config.TrainingData());
    }

    /// <summary>The world runs made with <paramref name="data"/> trained on, with its true features when it is generated.</summary>
    public static ConsistencyWorld Of(DataSpecification data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var generated = DataSources.OpenGroundTruth(data);
        return generated is null ? new ConsistencyWorld(data, null, 0) : new ConsistencyWorld(data, generated.TrueFeatures.ToArray(), generated.FeatureCount);
    }
}

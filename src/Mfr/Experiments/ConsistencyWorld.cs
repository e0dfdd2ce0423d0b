using Mfr.Data;
using Mfr.Synthetic;

namespace Mfr.Experiments;

/// <summary>
/// The data world of a consistency measurement: what the runs train on (their <see cref="DataSpecification"/>) and,
/// when the world is generated, its true features (the ground truth recovery and stability are measured against).
/// </summary>
/// <param name="Data">The runs' data.</param>
/// <param name="TrueFeatures">True features as rows, <c>[FeatureCount, dimension]</c>; null for a file (no ground truth).</param>
/// <param name="FeatureCount">n (0 without ground truth).</param>
internal sealed record ConsistencyWorld(DataSpecification Data, float[]? TrueFeatures, int FeatureCount)
{
    /// <summary>The world of <paramref name="config"/>: its SynthSAEBench world or its file.</summary>
    public static ConsistencyWorld For(ConsistencyExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.UsesFile)
            return new ConsistencyWorld(new DataSpecification("file", Path: config.DataPath, Seed: config.DataSeed, HeldOutPath: config.HeldOutPath), null, 0);
        throw new NotSupportedException("SynthSAEBench worlds arrive with the synthsaebench data source; use --data for now.");
    }

    /// <summary>The world runs made with <paramref name="data"/> trained on, with its true features when it is generated.</summary>
    public static ConsistencyWorld Of(DataSpecification data)
    {
        ArgumentNullException.ThrowIfNull(data);
        switch (data.Kind)
        {
            case "synthetic":
                using (var source = new SyntheticDataSource(data.Synthetic ?? new SyntheticDataConfig()))
                    return new ConsistencyWorld(data, source.TrueFeatures.ToArray(), source.Config.FeatureCount);
            default:
                return new ConsistencyWorld(data, null, 0);
        }
    }

    /// <summary>Whether the world has ground truth.</summary>
    public bool HasTruth => TrueFeatures is not null;
}

using System.Text.Json.Serialization;

namespace Mfr.Synthetic;

/// <summary>
/// The synthetic benchmark of SPEC section 3 (paper section 3, after Sharkey et al. 2022): n known
/// features in d dimensions, split into groups; each sample draws one group and s of its features.
/// </summary>
/// <param name="InputDim">d, width of each vector (paper 256).</param>
/// <param name="FeatureCount">n, number of true features (paper 512).</param>
/// <param name="GroupCount">G, groups of near-equal size covering all n features (paper 12).</param>
/// <param name="ActiveFeatures">s, distinct features active in every sample (paper 32); at most the smallest group's size.</param>
/// <param name="FrequencyDecay">lambda: feature i of a group (0-based) is drawn with weight lambda^i (paper 0.99).</param>
/// <param name="Seed">Seeds the feature matrix and every sample.</param>
public sealed record SyntheticDataConfig(
    int InputDim = 256,
    int FeatureCount = 512,
    int GroupCount = 12,
    int ActiveFeatures = 32,
    double FrequencyDecay = 0.99,
    ulong Seed = 0)
{
    /// <summary>Size of the smallest group: n div G.</summary>
    [JsonIgnore]
    public int SmallestGroupSize => FeatureCount / GroupCount;

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        if (InputDim < 1) throw new ArgumentException($"Synthetic input dimension must be at least 1, got {InputDim}.");
        if (GroupCount < 1) throw new ArgumentException($"Synthetic group count must be at least 1, got {GroupCount}.");
        if (FeatureCount < GroupCount) throw new ArgumentException($"Synthetic feature count ({FeatureCount}) must be at least the group count ({GroupCount}).");
        if (ActiveFeatures < 1 || ActiveFeatures > SmallestGroupSize)
            throw new ArgumentException($"Active features per sample must be between 1 and the smallest group size {SmallestGroupSize} (n={FeatureCount}, G={GroupCount}), got {ActiveFeatures}.");
        if (!(FrequencyDecay > 0 && FrequencyDecay <= 1)) throw new ArgumentException($"Frequency decay lambda must be in (0, 1], got {FrequencyDecay}.");
    }
}

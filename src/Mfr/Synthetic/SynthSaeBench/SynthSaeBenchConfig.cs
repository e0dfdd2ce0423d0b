namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>
/// Settings of the SynthSAEBench generative process (Chanin and Garriga-Alonso 2026, arXiv 2602.14687),
/// ported from SAELens <c>sae_lens.synthetic</c> (repository decoderesearch/SAELens:
/// <c>synthetic_model.py</c> SyntheticModelConfig, <c>firing_probabilities.py</c> zipfian_firing_probabilities,
/// <c>hierarchy/config.py</c> HierarchyConfig, <c>correlation.py</c> generate_random_low_rank_correlation_matrix,
/// <c>firing_magnitudes.py</c> LinearMagnitudeConfig / FoldedNormalMagnitudeConfig, <c>feature_dictionary.py</c>
/// orthogonalize_embeddings). The defaults are SynthSAEBench-16k as the SAELens docs page "SynthSAEBench"
/// lists it; <see cref="Scaled"/> is a smaller world with the same firing statistics.
/// </summary>
/// <remarks>
/// Not ported (SynthSAEBench-16k leaves them off): random branching ranges, children scaled by their parent's magnitude, full-rank correlation matrices, the other
/// firing-probability and magnitude families.
/// </remarks>
/// <param name="FeatureCount">N, ground-truth features (16k: 16,384).</param>
/// <param name="InputDim">D, width of each activation vector (16k: 768).</param>
/// <param name="ZipfExponent">Firing probability of the feature of rank r (1-based) is proportional to r^-exponent before min-max scaling (16k: 0.5).</param>
/// <param name="MaxFiringProbability">Firing probability of feature 0, p_max (16k: 0.4).</param>
/// <param name="MinFiringProbability">Firing probability of feature N-1, p_min (16k: 5e-4).</param>
/// <param name="HierarchyRootCount">Roots of the hierarchy forest, features 0..roots-1 (16k: 128; 0 disables the hierarchy).</param>
/// <param name="HierarchyBranching">Children per parent (16k: 4).</param>
/// <param name="HierarchyDepth">Depth of each tree below its root, max_depth (16k: 3: a tree has 1 + 4 + 16 + 64 features).</param>
/// <param name="MutuallyExclusivePortion">Share of parents whose children are mutually exclusive (at most one fires) (16k: 1.0, all).</param>
/// <param name="CompensateProbabilities">Raise children's probabilities so gating and exclusion leave each feature near its Zipfian rate (HierarchyConfig.compensate_probabilities).</param>
/// <param name="CorrelationRank">Rank of the Gaussian copula's correlation, factor @ factor^T + diag (16k: 25; 0 disables correlation).</param>
/// <param name="CorrelationScale">Standard deviation of the factor's entries (16k: 0.1).</param>
/// <param name="MeanMagnitudeFirst">Mean magnitude of feature 0 (the most frequent); linear to <paramref name="MeanMagnitudeLast"/> (16k: 5.0).</param>
/// <param name="MeanMagnitudeLast">Mean magnitude of feature N-1 (the rarest) (16k: 4.0).</param>
/// <param name="MagnitudeStdMean">Each feature's magnitude standard deviation is |N(mean, std^2)| (folded normal): the mean (16k: 0.5).</param>
/// <param name="MagnitudeStdStd">... and the standard deviation of that folded normal (16k: 0.5).</param>
/// <param name="OrthogonalizationSteps">
/// Adam steps of the orthogonality-promoting optimisation of the directions (16k: 100; 0 keeps random unit vectors). It runs
/// once per source: a step is two O(N D^2) products (<see cref="FeatureDirections"/>), measured 0.52 s of CPU a step at 16k
/// (about 50 s for the 100) and 2 s of CPU for all 100 at the scaled preset, on the 2-core development machine.
/// </param>
/// <param name="OrthogonalizationLearningRate">Adam learning rate of that optimisation (16k: 3e-4).</param>
/// <param name="BiasNorm">Norm of a random bias vector added to every sample (SyntheticModelConfig's default bias = 1.0; 0 for none).</param>
/// <param name="Seed">Seeds the directions, correlation factor, magnitudes, hierarchy and every sample.</param>
public sealed record SynthSaeBenchConfig(
    int FeatureCount = 16_384,
    int InputDim = 768,
    double ZipfExponent = 0.5,
    double MaxFiringProbability = 0.4,
    double MinFiringProbability = 5e-4,
    int HierarchyRootCount = 128,
    int HierarchyBranching = 4,
    int HierarchyDepth = 3,
    double MutuallyExclusivePortion = 1.0,
    bool CompensateProbabilities = true,
    int CorrelationRank = 25,
    double CorrelationScale = 0.1,
    double MeanMagnitudeFirst = 5.0,
    double MeanMagnitudeLast = 4.0,
    double MagnitudeStdMean = 0.5,
    double MagnitudeStdStd = 0.5,
    int OrthogonalizationSteps = 100,
    double OrthogonalizationLearningRate = 3e-4,
    double BiasNorm = 1.0,
    ulong Seed = 0)
{
    /// <summary>Name of the standard benchmark preset (<see cref="Standard16k"/>).</summary>
    public const string Standard16kName = "synthsaebench-16k";

    /// <summary>Name of the scaled preset (<see cref="Scaled"/>).</summary>
    public const string ScaledName = "synthsaebench-scaled";

    /// <summary>SynthSAEBench-16k: 16,384 features in d 768, mean L0 about 34 (SAELens docs, "SynthSAEBench").</summary>
    public static SynthSaeBenchConfig Standard16k { get; } = new();

    /// <summary>
    /// The same process shrunk so a 2-core machine trains it in minutes: 4,096 features in d 256
    /// (superposition N/D 16 instead of 21), a quarter of the trees (32 roots, so the hierarchy again
    /// covers 66% of the features), and p_min raised from 5e-4 to 1.25e-2 so the mean L0 stays about 34
    /// (with the 16k p_min it would be 19; the Zipf exponent, p_max, hierarchy shape, compensation,
    /// copula and magnitudes are the 16k ones). Its directions overlap more (rho_mm about 0.22 against
    /// 0.15): the largest overlap of random unit vectors grows as d shrinks, whatever N.
    /// </summary>
    public static SynthSaeBenchConfig Scaled { get; } = new(
        FeatureCount: 4_096, InputDim: 256, HierarchyRootCount: 32, MinFiringProbability: 1.25e-2);

    /// <summary>The preset called <paramref name="name"/> (case-insensitive).</summary>
    public static SynthSaeBenchConfig Preset(string name) => name.Trim().ToLowerInvariant() switch
    {
        Standard16kName => Standard16k,
        ScaledName => Scaled,
        _ => throw new ArgumentException($"Unknown benchmark '{name}'; use {Standard16kName} or {ScaledName}."),
    };

    /// <summary>Whether <paramref name="name"/> names a preset (case-insensitive), as <c>--data</c> takes it.</summary>
    public static bool IsPresetName(string name) => name.Trim().ToLowerInvariant() is Standard16kName or ScaledName;

    /// <summary>Features inside the hierarchy forest: roots * (1 + b + ... + b^depth), capped at N (features are assigned in breadth-first order).</summary>
    public int HierarchyFeatureCount
    {
        get
        {
            if (HierarchyRootCount == 0) return 0;
            long perTree = 0, level = 1;
            for (int depth = 0; depth <= HierarchyDepth; depth++, level *= HierarchyBranching) perTree += level;
            return (int)Math.Min(FeatureCount, perTree * HierarchyRootCount);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        if (FeatureCount < 2) throw new ArgumentException($"SynthSAEBench feature count must be at least 2, got {FeatureCount}.");
        if (InputDim < 1) throw new ArgumentException($"SynthSAEBench input dimension must be at least 1, got {InputDim}.");
        if (!(ZipfExponent > 0) || double.IsInfinity(ZipfExponent)) throw new ArgumentException($"SynthSAEBench Zipf exponent must be positive, got {ZipfExponent}.");
        if (!(MinFiringProbability > 0 && MinFiringProbability < MaxFiringProbability && MaxFiringProbability < 1))
            throw new ArgumentException($"SynthSAEBench firing probabilities need 0 < p_min < p_max < 1, got p_min {MinFiringProbability}, p_max {MaxFiringProbability}.");
        if (HierarchyRootCount < 0 || HierarchyRootCount > FeatureCount)
            throw new ArgumentException($"SynthSAEBench hierarchy roots must be between 0 and the feature count {FeatureCount}, got {HierarchyRootCount}.");
        if (HierarchyRootCount > 0 && (HierarchyBranching < 2 || HierarchyDepth < 1 || Math.Pow(HierarchyBranching, HierarchyDepth) > FeatureCount))
            throw new ArgumentException($"SynthSAEBench hierarchy needs branching >= 2, depth >= 1 and branching^depth <= {FeatureCount}, got branching {HierarchyBranching}, depth {HierarchyDepth}.");
        if (!(MutuallyExclusivePortion >= 0 && MutuallyExclusivePortion <= 1))
            throw new ArgumentException($"SynthSAEBench mutually exclusive portion must be in [0, 1], got {MutuallyExclusivePortion}.");
        if (CorrelationRank < 0 || CorrelationRank > FeatureCount)
            throw new ArgumentException($"SynthSAEBench correlation rank must be between 0 and the feature count {FeatureCount}, got {CorrelationRank}.");
        if (!(CorrelationScale >= 0) || double.IsInfinity(CorrelationScale)) throw new ArgumentException($"SynthSAEBench correlation scale must be non-negative, got {CorrelationScale}.");
        if (!(MeanMagnitudeFirst > 0 && MeanMagnitudeLast > 0) || double.IsInfinity(MeanMagnitudeFirst) || double.IsInfinity(MeanMagnitudeLast))
            throw new ArgumentException($"SynthSAEBench mean magnitudes must be positive, got {MeanMagnitudeFirst} and {MeanMagnitudeLast}.");
        if (!(MagnitudeStdStd > 0) || !double.IsFinite(MagnitudeStdMean) || double.IsInfinity(MagnitudeStdStd))
            throw new ArgumentException($"SynthSAEBench magnitude spread needs a finite mean and a positive std, got mean {MagnitudeStdMean}, std {MagnitudeStdStd}.");
        if (OrthogonalizationSteps < 0) throw new ArgumentException($"SynthSAEBench orthogonalization steps must be non-negative, got {OrthogonalizationSteps}.");
        if (!(OrthogonalizationLearningRate > 0) || double.IsInfinity(OrthogonalizationLearningRate))
            throw new ArgumentException($"SynthSAEBench orthogonalization learning rate must be positive, got {OrthogonalizationLearningRate}.");
        if (!(BiasNorm >= 0) || double.IsInfinity(BiasNorm)) throw new ArgumentException($"SynthSAEBench bias norm must be non-negative, got {BiasNorm}.");
    }
}

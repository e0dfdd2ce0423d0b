namespace Mfr.Experiments;

/// <summary>What `mfr compare` measured between two SAEs' decoders.</summary>
/// <param name="SaeA">First SAE folder.</param>
/// <param name="SaeB">Second SAE folder.</param>
/// <param name="InputDim">d_in of both.</param>
/// <param name="LatentCountA">Latents of the first SAE.</param>
/// <param name="LatentCountB">Latents of the second SAE.</param>
/// <param name="MatchedCount">Pairs in the optimal one-to-one matching: min(<paramref name="LatentCountA"/>, <paramref name="LatentCountB"/>).</param>
/// <param name="Mmcs">Mean cosine of the matched unit decoder rows (our MMCS; Song et al. 2025's MCC for one pair of runs).</param>
/// <param name="Shared">Per threshold, the share of matched pairs whose cosine is &gt;= it (shared@tau, Paulo and Belrose 2025).</param>
/// <param name="Histogram">Matched cosines in bins of 0.1 from -1 to 1 (the last bin includes 1).</param>
public sealed record CompareExperimentResult(
    string SaeA, string SaeB, int InputDim, int LatentCountA, int LatentCountB, int MatchedCount, double Mmcs,
    IReadOnlyList<SharedAtThreshold> Shared, IReadOnlyList<CosineBin> Histogram);

/// <summary>shared@tau of one threshold.</summary>
/// <param name="Threshold">tau.</param>
/// <param name="Fraction">Share of matched pairs with cosine &gt;= tau.</param>
public sealed record SharedAtThreshold(double Threshold, double Fraction);

/// <summary>One bin of the matched-cosine histogram: cosines in [<paramref name="Lower"/>, <paramref name="Upper"/>).</summary>
/// <param name="Lower">Lower edge (included).</param>
/// <param name="Upper">Upper edge (excluded, except 1 in the last bin).</param>
/// <param name="Count">Matched pairs in the bin.</param>
public sealed record CosineBin(double Lower, double Upper, int Count);

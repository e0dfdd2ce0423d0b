namespace Mfr.Eeg;

/// <summary>The preprocessing settings a cache was built with (part of its identity).</summary>
/// <param name="ChannelLabels">Configured channel labels, or null for the 10-20 default.</param>
/// <param name="TargetSamplingRateHz">Resampling target, or null for native rate.</param>
/// <param name="BandPassLowHz">Band-pass lower edge.</param>
/// <param name="BandPassHighHz">Band-pass upper edge.</param>
/// <param name="FilterOrder">Butterworth prototype order.</param>
/// <param name="StdFloor">Z-score standard-deviation floor.</param>
/// <param name="HeldOutFraction">Fraction of recordings held out.</param>
/// <param name="SplitSeed">Seed of the by-recording split.</param>
/// <param name="SegmentSeconds">Segment duration (always 1; SPEC section 5).</param>
/// <param name="PipelineVersion">Version of the preprocessing code; a change invalidates old caches.</param>
public sealed record EegCacheSettings(
    IReadOnlyList<string>? ChannelLabels,
    int? TargetSamplingRateHz,
    double BandPassLowHz,
    double BandPassHighHz,
    int FilterOrder,
    double StdFloor,
    double HeldOutFraction,
    ulong SplitSeed,
    int SegmentSeconds,
    int PipelineVersion)
{
    /// <summary>Bumped whenever the preprocessing would produce different numbers from the same inputs.</summary>
    public const int CurrentPipelineVersion = 1;

    /// <summary>The settings of <paramref name="config"/>.</summary>
    public static EegCacheSettings From(EegPreprocessingConfig config) => new(
        config.ChannelLabels?.ToArray(), config.TargetSamplingRateHz, config.BandPassLowHz, config.BandPassHighHz, config.FilterOrder,
        config.StdFloor, config.HeldOutFraction, config.SplitSeed, 1, CurrentPipelineVersion);
}

using System.Globalization;

namespace Mfr.Eeg;

/// <summary>
/// Settings of the EEG preprocessing of SPEC section 5 (paper section 4.2): channel selection, optional
/// resampling, zero-phase Butterworth band-pass, 1-second segments, per-channel z-score, channel-major
/// flattening; plus the by-recording train/held-out split. Defaults reproduce the published pipeline.
/// </summary>
public sealed record EegPreprocessingConfig
{
    /// <summary>
    /// Channels to keep, in this order, matched by <see cref="EegChannelLabels.Normalize"/> (so <c>Fp1</c>,
    /// <c>EEG FP1-REF</c> and <c>EEG Fp1</c> are the same). A file lacking any of them is skipped.
    /// Default null: every signal whose normalised label is one of <see cref="EegChannelLabels.Standard1020"/>,
    /// in the order of the first usable file; a later file must have exactly that set (it is reordered to match)
    /// or it is skipped, never mixed in.
    /// </summary>
    public IReadOnlyList<string>? ChannelLabels { get; init; }

    /// <summary>
    /// Resample every recording to this rate with scipy.signal.resample_poly semantics before filtering
    /// (e.g. 250 to match TUH's common rate; eegmat is 500 Hz). Default null: keep the native rate, and skip
    /// files whose rate differs from the first usable file's (segments must all be channels x fs long).
    /// </summary>
    public int? TargetSamplingRateHz { get; init; }

    /// <summary>Lower band-pass edge in Hz. Default 0.5 (SPEC 5).</summary>
    public double BandPassLowHz { get; init; } = 0.5;

    /// <summary>Upper band-pass edge in Hz, below half of every output sampling rate. Default 45 (SPEC 5).</summary>
    public double BandPassHighHz { get; init; } = 45.0;

    /// <summary>Butterworth prototype order (the band-pass has twice this order). Default 5 (SPEC 5).</summary>
    public int FilterOrder { get; init; } = 5;

    /// <summary>Floor on a segment channel's (population) standard deviation in the z-score. Default 1e-8 (SPEC 5).</summary>
    public double StdFloor { get; init; } = 1e-8;

    /// <summary>Fraction of recordings (never segments) held out for evaluation. Default 0.2.</summary>
    public double HeldOutFraction { get; init; } = 0.2;

    /// <summary>Seed of the by-recording split (<see cref="EegSplit"/>). Default 0.</summary>
    public ulong SplitSeed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (ChannelLabels is not null)
        {
            if (ChannelLabels.Count == 0) throw new ArgumentException("preprocessing.channelLabels is empty; give at least one label or null for the 10-20 default.");
            var normalized = ChannelLabels.Select(EegChannelLabels.Normalize).ToList();
            if (normalized.Any(string.IsNullOrEmpty)) throw new ArgumentException("preprocessing.channelLabels contains an empty label.");
            var duplicate = normalized.GroupBy(label => label).FirstOrDefault(group => group.Count() > 1);
            if (duplicate is not null) throw new ArgumentException($"preprocessing.channelLabels names channel {duplicate.Key} more than once.");
        }
        if (FilterOrder is < 1 or > 32) throw new ArgumentException($"preprocessing.filterOrder is {FilterOrder}; it must be between 1 and 32.");
        if (!(BandPassLowHz > 0) || !(BandPassHighHz > BandPassLowHz) || !double.IsFinite(BandPassHighHz))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Band-pass (preprocessing.bandPassLowHz, bandPassHighHz) {BandPassLowHz}-{BandPassHighHz} Hz: need 0 < low < high."));
        if (TargetSamplingRateHz is { } target && (target < 1 || !(BandPassHighHz < target / 2.0)))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--target-rate (preprocessing.targetSamplingRateHz) is {target}; it must be positive with the band-pass upper edge {BandPassHighHz} Hz below its Nyquist frequency."));
        if (!(StdFloor > 0) || !double.IsFinite(StdFloor)) throw new ArgumentException($"preprocessing.stdFloor is {StdFloor}; it must be positive.");
        if (!(HeldOutFraction >= 0 && HeldOutFraction < 1)) throw new ArgumentException($"--held-out-fraction (preprocessing.heldOutFraction) is {HeldOutFraction}; it must be in [0, 1): some recordings must be left to train on.");
    }
}

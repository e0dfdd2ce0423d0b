namespace Mfr.Eeg;

/// <summary>
/// Cuts filtered channels into the SAE's input vectors (SPEC section 5): non-overlapping segments of
/// <c>samplesPerSegment</c> (= fs, one second), the last partial segment zero-padded; each channel of each
/// segment z-scored with its population standard deviation floored; flattened channel-major (all samples
/// of channel 0, then channel 1, ...).
/// </summary>
public static class EegSegmenter
{
    /// <summary>Segments for <paramref name="sampleCount"/> samples: ceil(sampleCount / samplesPerSegment).</summary>
    public static int SegmentCount(long sampleCount, int samplesPerSegment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerSegment, 1);
        return checked((int)((sampleCount + samplesPerSegment - 1) / samplesPerSegment));
    }

    /// <summary>Segments, z-scores and flattens equal-length channels.</summary>
    /// <param name="channels">Channels, <c>[channelCount][sampleCount]</c>, all the same length.</param>
    /// <param name="samplesPerSegment">Samples per segment (the sampling rate for 1-s segments).</param>
    /// <param name="stdFloor">Floor on the standard deviation (SPEC: 1e-8), so flat channels give zeros, not NaN.</param>
    /// <param name="destination">Output, <c>[SegmentCount, channelCount x samplesPerSegment]</c>.</param>
    public static void Segment(IReadOnlyList<double[]> channels, int samplesPerSegment, double stdFloor, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(channels);
        if (channels.Count == 0) throw new ArgumentException("At least one channel is needed.", nameof(channels));
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerSegment, 1);
        int sampleCount = channels[0].Length;
        for (int c = 1; c < channels.Count; c++)
            if (channels[c].Length != sampleCount)
                throw new ArgumentException($"Channel {c} has [{channels[c].Length}] samples, channel 0 has [{sampleCount}].", nameof(channels));
        int segments = SegmentCount(sampleCount, samplesPerSegment);
        long vectorLength = (long)channels.Count * samplesPerSegment;
        if (destination.Length != segments * vectorLength)
            throw new ArgumentException($"Destination has [{destination.Length}] floats; [{segments}, {vectorLength}] are needed.", nameof(destination));

        for (int s = 0; s < segments; s++)
        {
            int start = s * samplesPerSegment;
            int available = Math.Min(samplesPerSegment, sampleCount - start);
            for (int c = 0; c < channels.Count; c++)
            {
                var source = channels[c].AsSpan(start, available);
                var target = destination.Slice((int)(s * vectorLength + (long)c * samplesPerSegment), samplesPerSegment);
                ZScore(source, samplesPerSegment, stdFloor, target);
            }
        }
    }

    /// <summary>Z-scores <paramref name="source"/> padded with zeros to <paramref name="length"/> samples (padding counts in the statistics).</summary>
    private static void ZScore(ReadOnlySpan<double> source, int length, double stdFloor, Span<float> target)
    {
        double sum = 0;
        for (int i = 0; i < source.Length; i++) sum += source[i];
        double mean = sum / length;
        // Two-pass variance: the padded zeros each contribute mean^2.
        double squares = (length - source.Length) * mean * mean;
        for (int i = 0; i < source.Length; i++)
        {
            double deviation = source[i] - mean;
            squares += deviation * deviation;
        }
        double scale = 1.0 / Math.Max(Math.Sqrt(squares / length), stdFloor);
        for (int i = 0; i < source.Length; i++) target[i] = (float)((source[i] - mean) * scale);
        float padded = (float)(-mean * scale);
        target[source.Length..].Fill(padded);
    }
}

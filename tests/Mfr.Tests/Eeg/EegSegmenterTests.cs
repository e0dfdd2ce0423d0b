using Mfr.Eeg;

namespace Mfr.Tests.Eeg;

public sealed class EegSegmenterTests
{
    private static float[] Run(IReadOnlyList<double[]> channels, int samplesPerSegment, double stdFloor = 1e-8)
    {
        int segments = EegSegmenter.SegmentCount(channels[0].Length, samplesPerSegment);
        var destination = new float[segments * channels.Count * samplesPerSegment];
        EegSegmenter.Segment(channels, samplesPerSegment, stdFloor, destination);
        return destination;
    }

    /// <summary>Brute-force z-score of a zero-padded piece: (x - mean) / max(population std, floor).</summary>
    private static double[] ZScored(double[] piece, int length, double floor)
    {
        double[] padded = piece.Concat(new double[length - piece.Length]).ToArray();
        double mean = padded.Average();
        double std = Math.Sqrt(padded.Select(v => (v - mean) * (v - mean)).Average());
        return padded.Select(v => (v - mean) / Math.Max(std, floor)).ToArray();
    }

    [Fact]
    public void EachChannelOfEachSegment_IsZScoredAndFlattenedChannelMajor()
    {
        // Given 2 channels of 9 samples, 4 samples per segment: 3 segments, the last with 1 sample + 3 zeros
        double[] a = [1, 2, 3, 4, 10, 20, 30, 45, 7];
        double[] b = [-5, 0, 5, 3, 100, 90, 95, 80, -2];

        // When
        float[] vectors = Run([a, b], 4);

        // Then: vector s = [z(a segment s), z(b segment s)]
        Assert.Equal(3 * 8, vectors.Length);
        for (int s = 0; s < 3; s++)
        {
            int available = Math.Min(4, 9 - 4 * s);
            double[] expected = ZScored(a.Skip(4 * s).Take(available).ToArray(), 4, 1e-8)
                .Concat(ZScored(b.Skip(4 * s).Take(available).ToArray(), 4, 1e-8)).ToArray();
            for (int i = 0; i < 8; i++) Assert.Equal(expected[i], vectors[s * 8 + i], 1e-6);
        }
    }

    [Fact]
    public void LastPartialSegment_IsZeroPaddedBeforeTheZScore()
    {
        // Given one channel of 5 samples, 4 per segment: the last segment is [9, 0, 0, 0]
        float[] vectors = Run([[1, 2, 3, 4, 9]], 4);

        // Then: mean 2.25, population std 3.897..., padded zeros become -0.577...
        double mean = 9 / 4.0, std = Math.Sqrt((Math.Pow(9 - mean, 2) + 3 * mean * mean) / 4);
        Assert.Equal((9 - mean) / std, vectors[4], 1e-6);
        Assert.All(vectors[5..8], v => Assert.Equal(-mean / std, v, 1e-6));
    }

    [Fact]
    public void FlatChannel_GivesZerosThroughTheStdFloor()
    {
        float[] vectors = Run([[5, 5, 5, 5], [1, 2, 3, 4]], 4);

        Assert.All(vectors[..4], v => Assert.Equal(0f, v));
        Assert.All(vectors, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(0, 250, 0)]
    [InlineData(1, 250, 1)]
    [InlineData(250, 250, 1)]
    [InlineData(251, 250, 2)]
    [InlineData(45500, 250, 182)]
    public void SegmentCount_IsTheCeilingOfSamplesOverSegmentLength(long samples, int perSegment, int expected)
    {
        Assert.Equal(expected, EegSegmenter.SegmentCount(samples, perSegment));
    }

    [Fact]
    public void WrongDestinationLength_IsRefusedNamingBothShapes()
    {
        var error = Assert.Throws<ArgumentException>(() => EegSegmenter.Segment([new double[9]], 4, 1e-8, new float[8]));

        Assert.Contains("[8]", error.Message);
        Assert.Contains("[3, 4]", error.Message);
    }

    [Fact]
    public void ChannelsOfDifferentLengths_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => EegSegmenter.Segment([new double[8], new double[7]], 4, 1e-8, new float[16]));

        Assert.Contains("[7]", error.Message);
    }
}

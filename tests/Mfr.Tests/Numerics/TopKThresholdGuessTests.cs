using Mfr.Numerics;

namespace Mfr.Tests.Numerics;

public sealed class TopKThresholdGuessTests
{
    [Fact]
    public void TryBracket_OffersNothing_BeforeARowIsSeen()
    {
        // Given
        var guess = new TopKThresholdGuess();

        // When, Then
        Assert.False(guess.TryBracket(out _, out _));
    }

    [Fact]
    public void TryBracket_HoldsTheKthValuesSeen_WhenRowsAreAlike()
    {
        // Given: k-th values around 2 (noise +-0.05).
        var guess = new TopKThresholdGuess();
        float[] seen = [2f, 2.04f, 1.97f, 2.01f, 1.95f, 2.05f, 2f, 1.98f];
        guess.Observe(seen[0], 0.4f);
        foreach (float kth in seen[1..]) guess.Observe(kth, 0);

        // When
        bool offered = guess.TryBracket(out float low, out float high);

        // Then: a bracket around them, narrower than the first row's spread.
        Assert.True(offered);
        Assert.True(low < 1.95f && high > 2.05f, $"[{low}, {high})");
        Assert.True(high - low < 0.4f, $"[{low}, {high})");
    }

    [Fact]
    public void Miss_WidensTheBracketAndSkipsRows()
    {
        // Given
        var guess = new TopKThresholdGuess();
        guess.Observe(1f, 0.2f);
        Assert.True(guess.TryBracket(out float low, out float high));

        // When: two misses in a row.
        guess.Miss(widen: true);
        bool afterFirst = guess.TryBracket(out _, out _);
        bool afterSkip = guess.TryBracket(out float widerLow, out float widerHigh);
        guess.Miss(widen: true);
        var offers = Enumerable.Range(0, 4).Select(_ => guess.TryBracket(out float _, out float _)).ToArray();

        // Then: the first miss skips one row, the second three; the bracket doubled.
        Assert.False(afterFirst);
        Assert.True(afterSkip);
        Assert.Equal(2 * (high - low), widerHigh - widerLow, 1e-6f);
        Assert.Equal([false, false, false, true], offers);
    }

    [Fact]
    public void Observe_IgnoresNonFiniteKthValues()
    {
        // Given
        var guess = new TopKThresholdGuess();
        guess.Observe(float.NaN, 1f);
        guess.Observe(float.PositiveInfinity, 1f);
        Assert.False(guess.TryBracket(out _, out _));
        guess.Observe(3f, 0.4f);
        Assert.True(guess.TryBracket(out float low, out float high));

        // When
        guess.Observe(float.NaN, 0);

        // Then
        Assert.True(guess.TryBracket(out float lowAfter, out float highAfter));
        Assert.Equal((low, high), (lowAfter, highAfter));
    }
}

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
        Assert.False(guess.TryBracket(1f, out _, out _));
    }

    [Fact]
    public void TryBracket_HoldsTheKthValuesSeen_WhenRowsAreAlike()
    {
        // Given: k-th values around 2 (noise +-0.05).
        var guess = new TopKThresholdGuess();
        float[] seen = [2f, 2.04f, 1.97f, 2.01f, 1.95f, 2.05f, 2f, 1.98f];
        guess.Observe(seen[0], 0.4f, 1f);
        foreach (float kth in seen[1..]) guess.Observe(kth, 0, 1f);

        // When
        bool offered = guess.TryBracket(1f, out float low, out float high);

        // Then: a bracket around them, narrower than the first row's spread.
        Assert.True(offered);
        Assert.True(low < 1.95f && high > 2.05f, $"[{low}, {high})");
        Assert.True(high - low < 0.4f, $"[{low}, {high})");
    }

    [Fact]
    public void TryBracket_ScalesWithTheRow()
    {
        // Given: k-th values 2 and 4 on rows of scale 1 and 2 (both 2 over their scale).
        var guess = new TopKThresholdGuess();
        guess.Observe(2f, 0.4f, 1f);
        guess.Observe(4f, 0, 2f);

        // When
        bool offered = guess.TryBracket(10f, out float low, out float high);
        bool offeredWithoutScale = guess.TryBracket(0f, out _, out _);

        // Then: a bracket around 2 x 10; a row without a scale (all zero, or too short to sample) gets none.
        Assert.True(offered);
        Assert.True(low < 20f && high > 20f && high - low < 10f, $"[{low}, {high})");
        Assert.False(offeredWithoutScale);
    }

    [Fact]
    public void Miss_WidensTheBracketAndSkipsRowsAfterRepeatedMisses()
    {
        // Given
        var guess = new TopKThresholdGuess();
        guess.Observe(1f, 0.2f, 1f);
        Assert.True(guess.TryBracket(1f, out float low, out float high));

        // When: three misses in a row.
        guess.Miss(widen: true);
        bool afterFirst = guess.TryBracket(1f, out float widerLow, out float widerHigh);
        guess.Miss(widen: true);
        var afterSecond = Enumerable.Range(0, 2).Select(_ => guess.TryBracket(1f, out float _, out float _)).ToArray();
        guess.Miss(widen: true);
        var afterThird = Enumerable.Range(0, 4).Select(_ => guess.TryBracket(1f, out float _, out float _)).ToArray();

        // Then: a lone miss skips nothing, the second one row, the third three; the first doubled the bracket.
        Assert.True(afterFirst);
        Assert.Equal(2 * (high - low), widerHigh - widerLow, 1e-6f);
        Assert.Equal([false, true], afterSecond);
        Assert.Equal([false, false, false, true], afterThird);
    }

    [Fact]
    public void Observe_IgnoresNonFiniteKthValuesAndScales()
    {
        // Given
        var guess = new TopKThresholdGuess();
        guess.Observe(float.NaN, 1f, 1f);
        guess.Observe(float.PositiveInfinity, 1f, 1f);
        Assert.False(guess.TryBracket(1f, out _, out _));
        guess.Observe(3f, 0.4f, 1f);
        Assert.True(guess.TryBracket(1f, out float low, out float high));

        // When: a NaN k-th value, and rows whose scale is infinite, NaN or 0.
        guess.Observe(float.NaN, 0, 1f);
        guess.Observe(5f, 0, float.PositiveInfinity);
        guess.Observe(5f, 0, float.NaN);
        guess.Observe(5f, 0, 0f);
        guess.TryBracket(1f, out _, out _);

        // Then
        Assert.True(guess.TryBracket(1f, out float lowAfter, out float highAfter));
        Assert.Equal((low, high), (lowAfter, highAfter));
    }
}

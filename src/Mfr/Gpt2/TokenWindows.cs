namespace Mfr.Gpt2;

/// <summary>Cuts a token range into non-overlapping windows of at most the context length.</summary>
public static class TokenWindows
{
    /// <summary>(start, length) of each window covering [firstToken, firstToken + budget) clipped to the stream.</summary>
    public static IReadOnlyList<(long Start, int Length)> Cut(ReadOnlySpan<ushort> tokens, long firstToken, long budget, int contextLength)
    {
        if (contextLength < 2) throw new ArgumentException($"Context length must be at least 2, got {contextLength}.");
        if (firstToken < 0 || budget < 1) throw new ArgumentException($"Need a non-negative first token and a positive budget, got {firstToken} and {budget}.");
        long end = Math.Min(tokens.Length, firstToken + budget);
        if (end - firstToken < 2) throw new ArgumentException($"The token file has {tokens.Length} tokens: too few from token {firstToken} for a budget of {budget}.");
        var windows = new List<(long, int)>();
        for (long start = firstToken; start < end; start += contextLength)
        {
            int length = (int)Math.Min(contextLength, end - start);
            if (length >= 2) windows.Add((start, length));
        }
        return windows;
    }
}

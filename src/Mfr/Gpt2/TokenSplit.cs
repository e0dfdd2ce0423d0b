namespace Mfr.Gpt2;

/// <summary>
/// How a token file is divided for the GPT-2 experiment: training activations from its start, then the
/// held-out tokens (held-out loss and loss recovered) right after them, never overlapping.
/// </summary>
/// <param name="TrainingTokens">Tokens whose activations the SAEs train on, from token 0.</param>
/// <param name="HeldOutFirst">First held-out token (= <paramref name="TrainingTokens"/>).</param>
/// <param name="HeldOutTokens">Held-out tokens.</param>
public sealed record TokenSplit(long TrainingTokens, long HeldOutFirst, long HeldOutTokens)
{
    /// <summary>Fewest tokens either part may have (one next-token prediction needs two).</summary>
    public const long MinimumTokens = 2;

    /// <summary>
    /// Up to <paramref name="wantedTrainingTokens"/> for training and exactly <paramref name="heldOutTokens"/> after
    /// them. A file shorter than both gives training what is left after the held-out part: the SAEs then take
    /// their sample budget in epochs over those activations (the shared OpenWebText sample holds 1.2 M tokens
    /// against the paper's 2 M).
    /// </summary>
    /// <exception cref="ArgumentException">The file cannot hold the held-out part and at least two training tokens.</exception>
    public static TokenSplit For(long tokenCount, long wantedTrainingTokens, long heldOutTokens)
    {
        if (wantedTrainingTokens < MinimumTokens || heldOutTokens < MinimumTokens)
            throw new ArgumentException($"Training and held-out token counts must be at least {MinimumTokens}, got {wantedTrainingTokens} and {heldOutTokens}.");
        long training = Math.Min(wantedTrainingTokens, tokenCount - heldOutTokens);
        if (training < MinimumTokens)
            throw new ArgumentException($"The token file holds {tokenCount:N0} tokens: too few for {heldOutTokens:N0} held-out tokens and a training part (lower --held-out-tokens or give a longer file).");
        return new TokenSplit(training, training, heldOutTokens);
    }
}

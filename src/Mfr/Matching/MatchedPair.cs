namespace Mfr.Matching;

/// <summary>One pair of an optimal one-to-one matching: row of the first set, row of the second, their cosine.</summary>
/// <param name="Row">Index in the first set (e.g. a latent of SAE A, or a decoder latent).</param>
/// <param name="Column">Index in the second set (a latent of SAE B, or a true feature).</param>
/// <param name="Cosine">Cosine similarity of the two directions.</param>
public readonly record struct MatchedPair(int Row, int Column, float Cosine);

namespace Mfr.Matching;

/// <summary>
/// Mean max cosine similarity (SPEC 2): the optimal one-to-one matching between two sets of
/// directions and the mean cosine of its <c>min(rowCount, columnCount)</c> pairs.
/// </summary>
/// <param name="Mean">MMCS: mean matched cosine.</param>
/// <param name="Pairs">The matched pairs in ascending row order.</param>
/// <param name="RowCount">Size of the first set.</param>
/// <param name="ColumnCount">Size of the second set.</param>
public sealed record MmcsResult(double Mean, IReadOnlyList<MatchedPair> Pairs, int RowCount, int ColumnCount);

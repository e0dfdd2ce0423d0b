namespace Mfr.Numerics;

/// <summary>
/// A bracket [low, high) for the next row's k-th largest value, learnt from the rows a thread has just selected
/// (issue 16 item 1). Rows of one batch are draws from the same encoder, so their k-th values over their scale are
/// close: a running mean of them, widened by a running mean absolute deviation and times the next row's scale,
/// brackets its k-th value most of the time.
/// The guess only steers the work: <see cref="TopKAvx512Bracketed"/> verifies it by counting and the row falls back to
/// the unguided selection when it fails, so the selected set never depends on it.
/// </summary>
internal struct TopKThresholdGuess
{
    /// <summary>
    /// Bracket half-widths in mean absolute deviations. A miss below (fewer than k values above low) costs a second pass
    /// over the row, a miss above only a larger bracket, so the lower side is the wider (a Gaussian's mean absolute
    /// deviation is 0.8 standard deviations: 3.5 of them is ~2.8 sigma, a miss in ~400 rows).
    /// </summary>
    private const float BelowDeviations = 3.5f, AboveDeviations = 2.5f;

    /// <summary>Weight of the newest row in the running means: ~1/8 averages the row-to-row noise of the k-th value over several rows.</summary>
    private const float NewestWeight = 0.125f;

    private float estimate, deviation, pending;
    private int rowsToSkip, misses;
    private bool known, hasPending;

    /// <summary>
    /// The bracket to try on the next row, or false when there is none (no row seen yet, or backing off after misses).
    /// Call once per row.
    /// </summary>
    /// <remarks>
    /// The bracket leaves out the latest row's k-th value (folded in just after): the next row's pass then need not wait
    /// for the end of the latest row's selection, and the processor overlaps the two.
    /// </remarks>
    /// <param name="scale">The row's scale (<see cref="TopKAvx512Bracketed.RowScale"/>): the guess is of the k-th value over it.</param>
    /// <param name="low">Bracket's lower end.</param>
    /// <param name="high">Bracket's upper end.</param>
    public bool TryBracket(float scale, out float low, out float high)
    {
        low = scale * (estimate - BelowDeviations * deviation);
        high = scale * (estimate + AboveDeviations * deviation);
        FoldPending();
        if (!known || !(scale > 0)) return false;
        if (rowsToSkip > 0)
        {
            rowsToSkip--;
            return false;
        }
        return float.IsFinite(low) && float.IsFinite(high);
    }

    /// <summary>
    /// Records a row's exact k-th largest value. <paramref name="spread"/> is a first deviation for the first row:
    /// the distance from the k-th value to a value about k ranks below it.
    /// </summary>
    public void Observe(float kth, float spread, float scale)
    {
        // A row without a finite positive scale (zeros, NaN, or squares overflowing) says nothing about the next one.
        if (!(scale > 0) || !float.IsFinite(scale)) return;
        (kth, spread) = (kth / scale, spread / scale);
        if (!float.IsFinite(kth)) return;
        if (!known)
        {
            if (!float.IsFinite(spread) || spread <= 0) return;
            (estimate, deviation, known) = (kth, spread / 4, true);
            return;
        }
        FoldPending();
        (pending, hasPending) = (kth, true);
    }

    /// <summary>Moves the running means towards the latest row's k-th value.</summary>
    private void FoldPending()
    {
        if (!hasPending) return;
        float error = MathF.Abs(pending - estimate);
        estimate += NewestWeight * (pending - estimate);
        deviation += NewestWeight * (error - deviation);
        hasPending = false;
    }

    /// <summary>The bracket held the row's k-th value.</summary>
    public void Hit() => misses = 0;

    /// <summary>
    /// The bracket failed: after the n-th miss in a row skip the next 2^(n-1) - 1 rows (at most 31), so rows the guess
    /// cannot serve (heavy ties, rows of very different scale) pay for a wasted pass only now and then, while a lone miss
    /// (~3% of SAE rows) costs nothing more; <paramref name="widen"/> when the k-th value lay outside the bracket (rather
    /// than too many values inside it).
    /// </summary>
    public void Miss(bool widen)
    {
        if (widen) deviation *= 2;
        misses = Math.Min(misses + 1, 6);
        rowsToSkip = (1 << (misses - 1)) - 1;
    }
}

namespace Mfr.Data;

/// <summary>The order in which an <see cref="ArrayFileSource"/> serves rows.</summary>
public enum ArrayFileOrder
{
    /// <summary>
    /// Training: every epoch visits each row of the range exactly once, in an order drawn from
    /// (seed, epoch) by <see cref="ChunkedShuffle"/>; batches run on across epochs.
    /// </summary>
    Shuffled,

    /// <summary>Evaluation: batch i holds rows i*B .. i*B + B - 1 of the range, wrapping to its start.</summary>
    Sequential,
}

using Mfr.Data;

namespace Mfr.Evaluation;

/// <summary>
/// Where evaluation batches come from for a data specification. For a generated stream (the built-in
/// benchmark or SynthSAEBench) they are samples the run never trained on: batch indices from 2^32 on, so
/// sample indices from 2^32 times the batch size (sample i of the stream is a pure function of the seed
/// and i, so these are fresh draws from the same distribution, disjoint from any training sample). For files it
/// is the held-out file read in order when one is given, else the training file in order.
/// </summary>
public static class HeldOutData
{
    /// <summary>
    /// Largest evaluation batch of train and synthetic runs: bounds the evaluation's workspaces (h floats per
    /// vector and SAE) whatever the training batch.
    /// </summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>First evaluation batch index for a generated stream.</summary>
    public const long GeneratedStreamOffset = 1L << 32;

    /// <summary>Opens the evaluation source and the index of its first batch.</summary>
    public static (IVectorSource Source, long FirstBatch) Open(DataSpecification specification)
    {
        if (DataSources.OpenGroundTruth(specification) is { } generated) return (generated, GeneratedStreamOffset);
        return (new ArrayFileSource(new ArrayFileSourceOptions
        {
            Path = specification.HeldOutPath ?? specification.Path!,
            TensorName = specification.TensorName,
            Order = ArrayFileOrder.Sequential,
        }), 0);
    }

    /// <summary>
    /// Equal held-out batches: a finite file is read once, not wrapped around, and as a whole when it holds
    /// at most <paramref name="maxBatches"/> training batches (1,220 EEG segments at batch 1,024 are two
    /// batches of 610, not one of 1,024 with 196 left out).
    /// </summary>
    /// <param name="heldOutRows">Vectors in the evaluation source, or null for an endless (generated) one.</param>
    /// <param name="trainingBatchSize">Largest batch.</param>
    /// <param name="maxBatches">Most batches to read.</param>
    public static (int Batches, int BatchSize) Batches(long? heldOutRows, int trainingBatchSize, int maxBatches)
    {
        if (heldOutRows is not long rows) return (maxBatches, trainingBatchSize);
        if (rows < 1) throw new ArgumentException("The held-out data holds no vectors.");
        int batches = (int)Math.Clamp((rows + trainingBatchSize - 1) / trainingBatchSize, 1, maxBatches);
        return (batches, (int)Math.Min(trainingBatchSize, rows / batches));
    }
}

namespace Mfr.Data;

/// <summary>
/// A source of training or evaluation vectors, the first stage of the pipeline
/// (source -> trainer -> checkpoint and metric log -> evaluators -> report).
/// A batch is a pure function of (the source's seed, batch index, batch size), so a run resumed
/// at batch i sees exactly the batches an uninterrupted run would have seen, and two SAEs or two
/// runs can be fed identical data.
/// </summary>
public interface IVectorSource : IDisposable
{
    /// <summary>Width d of every vector.</summary>
    int Dimension { get; }

    /// <summary>Number of distinct vectors, or null for an endless generated stream.</summary>
    long? VectorCount { get; }

    /// <summary>A short human-readable description (for logs and reports).</summary>
    string Description { get; }

    /// <summary>Writes batch number <paramref name="batchIndex"/> (0-based) of size <paramref name="batchSize"/>.</summary>
    /// <param name="batchIndex">Which batch of the stream; sources with finite data wrap into further shuffled epochs.</param>
    /// <param name="batchSize">Vectors in the batch.</param>
    /// <param name="destination">Output, <c>[batchSize, Dimension]</c>.</param>
    void ReadBatch(long batchIndex, int batchSize, Span<float> destination);
}

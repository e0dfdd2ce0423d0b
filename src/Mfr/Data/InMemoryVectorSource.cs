namespace Mfr.Data;

/// <summary>
/// Vectors held in memory, read in order: batch i holds rows i*B .. i*B + B - 1, wrapping around
/// the end. For tests, small evaluation sets and vectors produced by another stage.
/// </summary>
public sealed class InMemoryVectorSource : IVectorSource
{
    private readonly float[] data;

    /// <summary>Wraps <paramref name="data"/> <c>[n, dimension]</c> (not copied).</summary>
    public InMemoryVectorSource(float[] data, int dimension, string description = "in-memory vectors")
    {
        if (dimension < 1 || data.Length == 0 || data.Length % dimension != 0)
            throw new ArgumentException($"Data of {data.Length} floats is not a non-empty whole number of rows of width {dimension}.");
        this.data = data;
        Dimension = dimension;
        Description = description;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public long? VectorCount => data.Length / Dimension;

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public void ReadBatch(long batchIndex, int batchSize, Span<float> destination)
    {
        long rows = data.Length / Dimension;
        if (destination.Length < (long)batchSize * Dimension)
            throw new ArgumentException($"Destination holds {destination.Length} floats, batch [{batchSize},{Dimension}] needs {(long)batchSize * Dimension}.");
        for (int b = 0; b < batchSize; b++)
        {
            long row = (batchIndex * batchSize + b) % rows;
            data.AsSpan((int)(row * Dimension), Dimension).CopyTo(destination.Slice(b * Dimension, Dimension));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}

using Mfr.Data;
using Mfr.Synthetic;

namespace Mfr.Evaluation;

/// <summary>
/// Where evaluation batches come from for a data specification. For the synthetic stream they are
/// samples the run never trained on: batch indices from 2^32 on (sample i of the stream is a pure
/// function of the seed and i, so these are fresh draws from the same distribution). For files it
/// is the held-out file read in order when one is given, else the training file in order.
/// </summary>
public static class HeldOutData
{
    /// <summary>First evaluation batch index for a generated stream.</summary>
    public const long GeneratedStreamOffset = 1L << 32;

    /// <summary>Opens the evaluation source and the index of its first batch.</summary>
    public static (IVectorSource Source, long FirstBatch) Open(DataSpecification specification)
    {
        return specification.Kind switch
        {
            "synthetic" => (new SyntheticDataSource(specification.Synthetic ?? new SyntheticDataConfig()), GeneratedStreamOffset),
            _ => (new ArrayFileSource(new ArrayFileSourceOptions
            {
                Path = specification.HeldOutPath ?? specification.Path!,
                TensorName = specification.TensorName,
                Order = ArrayFileOrder.Sequential,
            }), 0),
        };
    }
}

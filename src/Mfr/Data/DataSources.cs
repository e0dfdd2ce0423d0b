using Mfr.Synthetic;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Data;

/// <summary>Opens the <see cref="IVectorSource"/> a <see cref="DataSpecification"/> describes, and checks one before any compute is spent on it.</summary>
public static class DataSources
{
    /// <summary>Opens the training source.</summary>
    public static IVectorSource Open(DataSpecification specification)
    {
        specification.Validate();
        return OpenGroundTruth(specification) as IVectorSource
            ?? new ArrayFileSource(new ArrayFileSourceOptions { Path = specification.Path!, TensorName = specification.TensorName, Seed = specification.Seed });
    }

    /// <summary>
    /// The generator of a generated specification, whose true features are known (the built-in benchmark or SynthSAEBench; the
    /// latter shared between calls with the same settings, <see cref="SynthSaeBenchSource.Open"/>), or null for a file.
    /// Sample i of the stream is the same whichever call opened it.
    /// </summary>
    public static IGroundTruthSource? OpenGroundTruth(DataSpecification specification)
    {
        if (!specification.IsGenerated) return null;
        specification.Validate();
        return specification.Kind switch
        {
            DataSpecification.SyntheticKind => new SyntheticDataSource(specification.Synthetic ?? new SyntheticDataConfig()),
            DataSpecification.SynthSaeBenchKind => SynthSaeBenchSource.Open(specification.SynthSaeBenchOrDefault),
            _ => null,
        };
    }

    /// <summary>
    /// Checks everything about the data that would otherwise fail after training (issue 13, class 5), without
    /// training: the settings; for a file, its header (format, dtype, shape [n, d], tensor) and a dry read of its
    /// first and last rows (finite values); for a held-out file, the same and the same d as the training data.
    /// Costs a few header reads and four rows.
    /// </summary>
    /// <returns>The data's dimension d.</returns>
    /// <exception cref="ArgumentException">An invalid setting.</exception>
    /// <exception cref="FileNotFoundException">The training or held-out file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file that cannot be trained on or evaluated against; the message names it.</exception>
    public static int Check(DataSpecification specification)
    {
        specification.Validate();
        if (specification.GeneratedDimension is int generated) return generated;
        int dimension = CheckFile(specification.Path!, specification.TensorName, "data");
        if (specification.HeldOutPath is string heldOut)
        {
            if (!File.Exists(heldOut)) throw new FileNotFoundException($"Held-out file not found: {heldOut}", heldOut);
            int heldOutDimension = CheckFile(heldOut, specification.TensorName, "held-out");
            if (heldOutDimension != dimension)
                throw new InvalidDataException($"Held-out file '{heldOut}' has vectors of d = {heldOutDimension}, the training data '{specification.Path}' of d = {dimension}.");
        }
        return dimension;
    }

    /// <summary>Opens <paramref name="path"/> as a source, in file order, and reads its first and last rows (finite-checked).</summary>
    private static int CheckFile(string path, string? tensorName, string role)
    {
        using var source = new ArrayFileSource(new ArrayFileSourceOptions { Path = path, TensorName = tensorName, Order = ArrayFileOrder.Sequential });
        long rows = source.VectorCount ?? 0;
        if (rows < 1) throw new InvalidDataException($"The {role} file '{path}' holds no vectors.");
        var row = new float[source.Dimension];
        source.ReadBatch(0, 1, row);
        source.ReadBatch(rows - 1, 1, row);
        return source.Dimension;
    }
}

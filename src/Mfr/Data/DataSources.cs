using Mfr.Synthetic;

namespace Mfr.Data;

/// <summary>Opens the <see cref="IVectorSource"/> a <see cref="DataSpecification"/> describes.</summary>
public static class DataSources
{
    /// <summary>Opens the training source.</summary>
    public static IVectorSource Open(DataSpecification specification)
    {
        specification.Validate();
        return specification.Kind switch
        {
            "synthetic" => new SyntheticDataSource(specification.Synthetic ?? new SyntheticDataConfig()),
            _ => new ArrayFileSource(new ArrayFileSourceOptions { Path = specification.Path!, TensorName = specification.TensorName, Seed = specification.Seed }),
        };
    }
}

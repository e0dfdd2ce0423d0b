using Mfr.Data;

namespace Mfr.Training;

/// <summary>
/// Everything about a run that can be checked before its first step (issue 13, class 5): the settings, the data
/// and held-out files (<see cref="DataSources.Check"/>), the SAEs' input width against the data, and the memory
/// the run will allocate (<see cref="TrainingMemory"/>). <see cref="TrainingRun.Start"/> calls it before it creates
/// the run folder, and experiments made of several runs call it for all of them before training the first, so a
/// mistake costs seconds, not a trained ensemble, and leaves no half-made folder behind.
/// </summary>
public static class RunPreflight
{
    /// <summary>Checks <paramref name="specification"/> against its data and this machine.</summary>
    /// <returns>The data's dimension d.</returns>
    /// <exception cref="ArgumentException">An invalid setting, an SAE whose width is not the data's, or a run too large for this machine's memory.</exception>
    /// <exception cref="FileNotFoundException">A data file does not exist.</exception>
    /// <exception cref="InvalidDataException">A data file that cannot be trained on or evaluated against.</exception>
    public static int Check(RunSpecification specification) => Check(specification, TrainingMemory.AvailableBytes);

    /// <summary><see cref="Check(RunSpecification)"/> against <paramref name="availableBytes"/> of memory.</summary>
    public static int Check(RunSpecification specification, long availableBytes)
    {
        specification.Validate();
        // Under mpirun with MFR_MPI_MODE=data: a run data-parallel training cannot do is refused before its folder is written (issue 17).
        Distributed.DistributedWorker.Preflight(specification);
        int dimension = DataSources.Check(specification.Data);
        for (int m = 0; m < specification.Saes.Length; m++)
        {
            if (specification.Saes[m].InputDim != dimension)
                throw new ArgumentException($"SAE {m} has input width {specification.Saes[m].InputDim} but the data's vectors have d = {dimension}.");
        }
        TrainingMemory.Require(TrainingMemory.EstimateBytes(specification, dimension), availableBytes,
            TrainingMemory.DescribeShape(specification.Training.BatchSize, specification.Saes, dimension));
        return dimension;
    }
}

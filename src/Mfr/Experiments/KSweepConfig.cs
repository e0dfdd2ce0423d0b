using Mfr.Data;
using Mfr.Regularization;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// A k sweep, the shape of the paper's tables 1-3: one baseline ensemble of independent SAEs (one
/// per k) and one MFR ensemble holding every k (as in the paper), trained on the same batches and
/// compared on held-out data per k. The fields other than <see cref="Data"/> are documented on
/// <see cref="KSweepSettings"/>, which holds their defaults.
/// </summary>
/// <param name="Data">Training data (and its held-out file).</param>
/// <param name="LatentCount">h.</param>
/// <param name="Ks">One SAE per value in each ensemble.</param>
/// <param name="Training">Samples, batch, lr, optimiser, seed.</param>
/// <param name="Mfr">MFR settings of the coupled ensemble.</param>
/// <param name="EvaluationBatches">Most held-out batches for the reported loss (<see cref="KSweepSettings.EvaluationBatches"/>).</param>
public sealed record KSweepConfig(DataSpecification Data, int LatentCount, int[] Ks, TrainingConfig Training, MfrConfig Mfr, int EvaluationBatches = KSweepSettings.DefaultEvaluationBatches)
{
    /// <summary>`mfr sweep`'s defaults (<see cref="KSweepSettings.Default"/>) on a file not yet named.</summary>
    public static KSweepConfig Default { get; } = KSweepSettings.Default.For(new DataSpecification("file"));

    /// <summary>Everything but the data.</summary>
    public KSweepSettings Settings() => new(LatentCount, Ks, Training, Mfr, EvaluationBatches);

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        if (Data is null || (Data.Kind == "file" && string.IsNullOrWhiteSpace(Data.Path)))
            throw new ArgumentException("A sweep needs training vectors: --data FILE (data.path in a config file).");
        Settings().Validate();
        Data.Validate();
    }
}

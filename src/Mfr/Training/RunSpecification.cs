using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;

namespace Mfr.Training;

/// <summary>
/// Everything that defines a training run (written to RUN/run.json): the data, the SAEs of the
/// ensemble, how they are trained, and the MFR settings (null or mode baseline for independent SAEs).
/// </summary>
/// <param name="Data">Source of training vectors.</param>
/// <param name="Saes">One config per SAE.</param>
/// <param name="Training">Length, batch, optimiser, seed.</param>
/// <param name="Regularization">MFR settings.</param>
public sealed record RunSpecification(DataSpecification Data, SaeConfig[] Saes, TrainingConfig Training, MfrConfig? Regularization = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        // A hand-written or damaged run.json or config file can leave any member out (issue 13, class 6).
        if (Data is null) throw new ArgumentException("The run specification has no \"data\".");
        if (Saes is null || Saes.Any(sae => sae is null)) throw new ArgumentException("The run specification has no \"saes\" list of SAE shapes (or a null entry in it).");
        if (Training is null) throw new ArgumentException("The run specification has no \"training\" settings.");
        Data.Validate();
        if (Saes.Length == 0) throw new ArgumentException("A run needs at least one SAE.");
        foreach (var sae in Saes) sae.Validate();
        Training.Validate();
        Regularization?.Validate();
        if (Regularization is { UsesPenalty: true } && Saes.Length < 2)
            throw new ArgumentException("The MFR penalty couples SAEs: it needs at least two in the ensemble.");
        if (Regularization is { UsesPenalty: true } && Saes.Length > PartnerGradient.MaxPartners + 1)
            throw new ArgumentException($"The MFR penalty couples at most {PartnerGradient.MaxPartners + 1} SAEs, got {Saes.Length}.");
    }
}

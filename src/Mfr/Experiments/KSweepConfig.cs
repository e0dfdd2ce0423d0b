using Mfr.Data;
using Mfr.Regularization;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// A k sweep, the shape of the paper's tables 1-3: one baseline ensemble of independent SAEs (one
/// per k) and one MFR ensemble holding every k (as in the paper), trained on the same batches and
/// compared on held-out data per k.
/// </summary>
/// <param name="Data">Training data (and its held-out file).</param>
/// <param name="LatentCount">h.</param>
/// <param name="Ks">One SAE per value in each ensemble.</param>
/// <param name="Training">Samples, batch, lr, optimiser, seed.</param>
/// <param name="Mfr">MFR settings of the coupled ensemble.</param>
/// <param name="EvaluationBatches">
/// Most held-out batches for the reported loss (of the training batch size). 100 covers the whole held-out
/// part the experiments make (GPT-2: 20,480 tokens at batch 500; EEG: 1,220 segments) while bounding the
/// time a very large held-out file can take; 10 used to leave three quarters of GPT-2's held-out tokens unread.
/// </param>
public sealed record KSweepConfig(DataSpecification Data, int LatentCount, int[] Ks, TrainingConfig Training, MfrConfig Mfr, int EvaluationBatches = 100)
{
    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason on an invalid setting.</summary>
    public void Validate()
    {
        if (Ks.Length < 2) throw new ArgumentException($"A sweep needs at least two k values (the MFR ensemble couples them), got {Ks.Length}.");
        if (Ks.Distinct().Count() != Ks.Length) throw new ArgumentException("The k values of a sweep must be distinct.");
        if (LatentCount < 1) throw new ArgumentException($"The latent count h must be at least 1, got {LatentCount}.");
        foreach (int k in Ks)
            if (k < 1 || k > LatentCount) throw new ArgumentException($"Every k must be between 1 and the latent count {LatentCount}, got {k}.");
        if (Ks.Length > Regularization.PartnerGradient.MaxPartners + 1)
            throw new ArgumentException($"The MFR ensemble couples at most {Regularization.PartnerGradient.MaxPartners + 1} SAEs, one per k; got {Ks.Length} k values.");
        if (EvaluationBatches < 1) throw new ArgumentException($"Evaluation batches must be at least 1, got {EvaluationBatches}.");
        Mfr.Validate();
        Training.Validate();
        Data.Validate();
    }
}

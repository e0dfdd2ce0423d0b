namespace Mfr.Training;

/// <summary>
/// A coupling between the SAEs of an ensemble, applied after every SAE's backward pass and before
/// the optimiser step: it may add to each member's <see cref="Sae.SaeWorkspace.WeightGradient"/>.
/// The MFR penalty (SPEC 2) is one; the baseline has none.
/// </summary>
public interface IEnsembleRegularizer
{
    /// <summary>A short name for logs ("mfr-penalty").</summary>
    string Name { get; }

    /// <summary>Adds the regulariser's gradient for step <paramref name="step"/> (1-based) and returns its value and measurements.</summary>
    /// <param name="step">1-based step.</param>
    /// <param name="members">The ensemble, with fresh gradients in their workspaces.</param>
    /// <param name="reconstructionLosses">L_rec of each member on this batch.</param>
    RegularizerOutcome Apply(long step, IReadOnlyList<EnsembleMember> members, IReadOnlyList<double> reconstructionLosses);

    /// <summary>State that a resumed run needs to continue identically (e.g. beta, held assignments), as named arrays.</summary>
    IReadOnlyDictionary<string, double[]> SaveState();

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void LoadState(IReadOnlyDictionary<string, double[]> state);
}

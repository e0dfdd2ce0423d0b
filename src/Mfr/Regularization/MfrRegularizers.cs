using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Regularization;

/// <summary>Builds the ensemble regulariser an <see cref="MfrConfig"/> asks for.</summary>
public static class MfrRegularizers
{
    /// <summary>The MMCS penalty when the mode uses it, otherwise null.</summary>
    public static IEnsembleRegularizer? CreatePenalty(MfrConfig? config, IReadOnlyList<SaeConfig> saes)
    {
        if (config is not { UsesPenalty: true }) return null;
        throw new NotSupportedException("The MFR penalty is not available yet.");
    }
}

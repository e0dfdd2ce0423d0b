using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Regularization;

/// <summary>Builds the ensemble regulariser an <see cref="MfrConfig"/> asks for.</summary>
public static class MfrRegularizers
{
    /// <summary>The MMCS penalty when the mode uses it, the mean-max penalty in mode mean-max, otherwise null.</summary>
    public static IEnsembleRegularizer? CreatePenalty(MfrConfig? config, IReadOnlyList<SaeConfig> saes) => config switch
    {
        { UsesPenalty: true } => new MmcsPenalty(config, saes),
        { Mode: MfrMode.MeanMax } => new MeanMaxPenalty(config, saes),
        _ => null,
    };
}

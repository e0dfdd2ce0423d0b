using System.Globalization;
using System.Text.Json.Serialization;
using Mfr.Regularization;

namespace Mfr.Experiments;

/// <summary>
/// One way of training the ensembles of the consistency experiment (issue 14 part 3): independent SAEs (baseline),
/// a coupling with its beta (MFR, its penalty-only ablation, mean-max), optionally with the AuxK loss on dead latents
/// (Gao et al. 2024) in any mode. Its <see cref="Name"/> labels its rows and names its run folders.
/// </summary>
/// <param name="Mode">How the SAEs of an ensemble are coupled (baseline: not at all).</param>
/// <param name="Beta">Penalty scale of a coupled mode; null is auto (and means nothing for the baseline and reinit).</param>
/// <param name="AuxKCoefficient">alpha of the AuxK loss (1/32 in Gao et al. 2024 appendix A.2); 0 is off.</param>
public sealed record ConsistencyVariant(
    MfrMode Mode = MfrMode.Baseline,
    [property: JsonConverter(typeof(BetaJsonConverter))] double? Beta = null,
    double AuxKCoefficient = 0)
{
    /// <summary>Name of the uncoupled variant without AuxK, the one every other is compared with.</summary>
    public const string BaselineName = "baseline";

    /// <summary>AuxK's alpha in Gao et al. 2024 (appendix A.2) and sparsify's default auxk_alpha.</summary>
    public const double GaoAuxKCoefficient = 1.0 / 32;

    /// <summary>Independent SAEs.</summary>
    public static ConsistencyVariant Baseline { get; } = new();

    /// <summary>"baseline", "auxk", "mfr beta=auto", "mean-max beta=0.1", "mfr beta=0.1 +auxk", "reinit".</summary>
    [JsonIgnore]
    public string Name
    {
        get
        {
            string mode = Mode switch
            {
                MfrMode.Baseline => AuxKCoefficient > 0 ? "auxk" : BaselineName,
                MfrMode.MeanMax => "mean-max",
                _ => Mode.ToString().ToLowerInvariant(),
            };
            if (Couples) mode += $" beta={(Beta is double b ? b.ToString("G4", CultureInfo.InvariantCulture) : "auto")}";
            return Mode != MfrMode.Baseline && AuxKCoefficient > 0 ? mode + " +auxk" : mode;
        }
    }

    /// <summary>Whether the SAEs of an ensemble are coupled by a penalty (and so have a beta).</summary>
    [JsonIgnore]
    public bool Couples => new MfrConfig(Mode).CouplesSaes;

    /// <summary>The run's MFR settings: <paramref name="template"/>'s warm-up, re-initialisation and refresh with this mode and beta; null for the baseline.</summary>
    public MfrConfig? Regularization(MfrConfig template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Mode == MfrMode.Baseline ? null : template with { Mode = Mode, Beta = Couples ? Beta : null };
    }

    /// <summary>Throws <see cref="ArgumentException"/> with a one-line reason (naming --variants) on an invalid setting.</summary>
    public void Validate()
    {
        if (Beta is double beta && !(beta >= 0 && double.IsFinite(beta))) throw new ArgumentException($"--variants: beta of {Name} must be 'auto' or a non-negative number, got {beta}.");
        if (!(AuxKCoefficient >= 0 && double.IsFinite(AuxKCoefficient))) throw new ArgumentException($"--variants: the AuxK coefficient of {Name} must be 0 (off) or positive, got {AuxKCoefficient}.");
    }
}

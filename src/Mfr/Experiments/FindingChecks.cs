using System.Globalization;
using Mfr.Data;
using Mfr.Regularization;

namespace Mfr.Experiments;

/// <summary>
/// The checks behind every <see cref="Finding"/>, one method per <see cref="FindingKind"/>, shared by the
/// experiments (<see cref="SyntheticFindings"/>, <see cref="KSweepFindings"/>; a new experiment calls the
/// ones that apply to its result). Each returns nothing when there is nothing to say.
/// </summary>
public static class FindingChecks
{
    /// <summary>
    /// Share of an SAE's latents dead on the held-out data from which <see cref="ManyDeadLatents"/> speaks up.
    /// TopK SAEs need not lose many latents: with the encoder initialised to the decoder's transpose and an
    /// auxiliary loss on dead latents, Gao et al. 2024 ("Scaling and evaluating sparse autoencoders", section 2.4)
    /// keep 7% dead in their largest, 16 M-latent SAE (ours are tied but have no auxiliary loss). A tenth of the
    /// dictionary dead is capacity the comparison between variants silently loses, as in the EEG sweep (README:
    /// 18% of the baseline's latents dead at k = 12, 14% of MFR's).
    /// </summary>
    public const double LargeDeadLatentShare = 0.10;

    /// <summary>
    /// SPEC 2's failure to watch: every coupled pair at or above <see cref="FeatureConsistency.SameDictionaryMmcs"/>
    /// means the penalty made the SAEs one dictionary, so their agreement no longer points at real features.
    /// </summary>
    /// <param name="subject">The variant or ensemble, e.g. "mfr beta=auto".</param>
    /// <param name="ensemble">How the sentence names the SAEs, e.g. "under mfr beta=auto the coupled SAEs".</param>
    /// <param name="features">What their agreement would otherwise indicate, e.g. "the true features".</param>
    /// <param name="partnerMmcs">MMCS between coupled SAEs (per pair or per SAE to its partners); empty when nothing was coupled.</param>
    public static Finding? CoupledSaesCollapsed(string subject, string ensemble, string features, IReadOnlyCollection<double> partnerMmcs)
    {
        ArgumentNullException.ThrowIfNull(partnerMmcs);
        if (partnerMmcs.Count == 0 || partnerMmcs.Min() < FeatureConsistency.SameDictionaryMmcs) return null;
        return new Finding(FindingKind.CoupledSaesCollapsed, FindingSeverity.Warning, Invariant(
            $"{Capitalized(ensemble)} learned the same dictionary (MMCS between them >= {FeatureConsistency.SameDictionaryMmcs}, lowest {partnerMmcs.Min():F4}): the penalty pulled them together, so their agreement says nothing about {features}; a smaller --beta keeps them apart."),
            subject);
    }

    /// <summary>A training budget below the paper's: the measured ranking of variants may still change with more samples.</summary>
    /// <param name="sampleCount">Training samples per SAE of this run.</param>
    /// <param name="paperSampleCount">The paper's samples per SAE for this experiment.</param>
    /// <param name="consequence">Why it matters here, completing "... (--paper): {consequence}".</param>
    public static Finding? BudgetBelowPaper(long sampleCount, long paperSampleCount, string consequence)
    {
        if (sampleCount >= paperSampleCount) return null;
        return new Finding(FindingKind.BudgetBelowPaper, FindingSeverity.Note, Invariant(
            $"{sampleCount:N0} samples per SAE is {100.0 * sampleCount / paperSampleCount:G3}% of the paper's {paperSampleCount:N0} (--paper): {consequence}"));
    }

    /// <summary>
    /// Known before training: conditional re-initialisation is on but its threshold sits close to the score that
    /// batch sampling alone gives a perfectly uniform SAE (<see cref="ActivityDeviation.SamplingFloor"/>); at small
    /// B k / h the per-batch score cannot tell a bad initialisation from an unlucky batch. One finding per distinct
    /// (h, k) whose floor is at least half the threshold.
    /// </summary>
    /// <param name="saes">k and h of each SAE trained.</param>
    /// <param name="batchSize">Batch size B.</param>
    /// <param name="mfr">The coupling in force (null or without re-initialisation: nothing to check).</param>
    public static IReadOnlyList<Finding> ReinitializationWithinSamplingNoise(IEnumerable<(int K, int LatentCount)> saes, int batchSize, MfrConfig? mfr)
    {
        ArgumentNullException.ThrowIfNull(saes);
        if (mfr is not { UsesReinitialization: true }) return [];
        double threshold = mfr.ReinitializationSettings.Threshold;
        var findings = new List<Finding>();
        foreach (var (k, h) in saes.Distinct())
        {
            double floor = ActivityDeviation.SamplingFloor(batchSize, k, h);
            if (floor < threshold / 2) continue;
            findings.Add(new Finding(FindingKind.ReinitializationWithinSamplingNoise, FindingSeverity.Warning, Invariant(
                $"at batch {batchSize}, h {h}, k {k} a perfectly uniform SAE already scores {floor:F2} per batch from sampling alone (re-init threshold {threshold}), so the check will mostly react to noise; consider a larger batch, a higher --reinit-threshold or --mode penalty."),
                Invariant($"h {h}, k {k}")));
        }
        return findings;
    }

    /// <summary>
    /// SAEs of one variant or ensemble that left at least <see cref="LargeDeadLatentShare"/> of their latents dead
    /// on the held-out data: one finding naming how many and the worst.
    /// </summary>
    /// <param name="subject">The variant or ensemble, e.g. "baseline".</param>
    /// <param name="saes">Per SAE: its name within the subject (e.g. "seed 0 SAE 1", "k=12"), dead latents on the held-out data, and h.</param>
    public static Finding? ManyDeadLatents(string subject, IReadOnlyCollection<(string Sae, int DeadLatents, int LatentCount)> saes)
    {
        ArgumentNullException.ThrowIfNull(saes);
        var large = saes.Where(sae => sae.DeadLatents >= LargeDeadLatentShare * sae.LatentCount).ToArray();
        if (large.Length == 0) return null;
        var worst = large.MaxBy(sae => (double)sae.DeadLatents / sae.LatentCount);
        return new Finding(FindingKind.ManyDeadLatents, FindingSeverity.Note, Invariant(
            $"{large.Length} of {saes.Count} {subject} SAE(s) left at least {100 * LargeDeadLatentShare:F0}% of their latents dead on the held-out data (most: {worst.Sae}, {worst.DeadLatents} of {worst.LatentCount}, {100.0 * worst.DeadLatents / worst.LatentCount:F0}%), capacity that neither reconstructs nor can match a feature."),
            subject);
    }

    /// <summary>
    /// Known before training: the run ends in the first half of the penalty's cosine warm-up (w(t) &lt; 0.5 at the
    /// last step), so the SAEs were compared under a coupling much weaker than beta. Ending just short of T_w is
    /// not flagged (the EEG defaults stop at step 98 of 100 with w = 0.999).
    /// </summary>
    /// <param name="stepCount">Training steps.</param>
    /// <param name="mfr">The coupling in force (null or without the penalty: nothing to check).</param>
    public static Finding? WarmupLongerThanTraining(long stepCount, MfrConfig? mfr)
    {
        if (mfr is not { CouplesSaes: true }) return null;
        // Mean-max ramps linearly (its SAELens port), MFR by a cosine (SPEC 2).
        double weight = mfr.Mode == MfrMode.MeanMax ? MeanMaxPenalty.WarmupWeight(mfr.WarmupSteps, stepCount) : mfr.WarmupWeight(stepCount);
        if (weight >= 0.5) return null;
        return new Finding(FindingKind.WarmupLongerThanTraining, FindingSeverity.Note, Invariant(
            $"training stops after {stepCount} step(s), in the first half of the {mfr.WarmupSteps}-step warm-up, so the penalty never reached half its strength (w = {weight:F2} at the last step); train longer or shorten --warmup to compare under the coupling itself."));
    }

    /// <summary>
    /// Without a held-out file the evaluation reads the training file (<see cref="Evaluation.HeldOutData.Open"/>),
    /// so the "held-out" loss rewards fitting the training vectors rather than generalising.
    /// </summary>
    /// <param name="data">The run's data; generated (synthetic) data always evaluates on fresh samples.</param>
    public static Finding? EvaluatedOnTrainingData(DataSpecification data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.IsGenerated || data.HeldOutPath is not null) return null;
        return new Finding(FindingKind.EvaluatedOnTrainingData, FindingSeverity.Warning,
            $"No held-out file was given, so the held-out numbers are measured on the training vectors ({Path.GetFileName(data.Path)}) and favour SAEs that fit them; pass --held-out for a fair comparison.");
    }

    /// <summary>
    /// A variant trained with the AuxK loss whose training logs show no dead latent at any step of any run: AuxK (Gao et al.
    /// 2024) only reconstructs the residual from latents silent for the dead-latent window, so it never acted and the
    /// variant's SAEs are the ones it would have trained without it.
    /// </summary>
    /// <param name="subject">The variant, e.g. "auxk".</param>
    /// <param name="mostDeadDuringTraining">Most dead latents any of its SAEs had at any logged step.</param>
    /// <param name="windowSamples">The dead-latent window in samples.</param>
    public static Finding? AuxKNeverActed(string subject, int mostDeadDuringTraining, long windowSamples)
    {
        if (mostDeadDuringTraining > 0) return null;
        return new Finding(FindingKind.AuxKNeverActed, FindingSeverity.Note, Invariant(
            $"under {subject} no latent was dead (silent for {windowSamples:N0} samples) at any step of training, so the AuxK loss never acted and its SAEs train as they would without it; a shorter dead-latent window (deadLatentWindowSamples) or data that leaves latents dead tests it."),
            subject);
    }

    /// <summary>Gain in cross-seed consistency (shared@0.7 or PW-MCC, on the 0-1 scale) that issue 14 asks a coupling for: 10 points.</summary>
    public const double ConsistencyGain = 0.10;

    /// <summary>Largest held-out MSE increase over the baseline issue 14 accepts for that gain: 2%.</summary>
    public const double MseCost = 0.02;

    /// <summary>
    /// Issue 14's question for one coupled variant, answered in one sentence from the measurements: does it raise
    /// cross-seed consistency (shared@0.7 or PW-MCC) by at least <see cref="ConsistencyGain"/> at a mean paired MSE cost of at
    /// most <see cref="MseCost"/>, and does it raise ground-truth recovery at 0.9 (a mean paired gain larger than its
    /// standard deviation over seeds)?
    /// </summary>
    /// <param name="variant">The coupled variant, e.g. "mfr beta=0.1".</param>
    /// <param name="sharedDifference">Its shared@0.7 across seeds minus the baseline's.</param>
    /// <param name="pwMccDifference">Its PW-MCC across seeds minus the baseline's.</param>
    /// <param name="mseRelativeDifference">Paired relative MSE difference to the baseline over seeds.</param>
    /// <param name="recoveryDifference">Paired difference of recovery at 0.9 over seeds; null without ground truth.</param>
    public static Finding CouplingVersusBaseline(string variant, double sharedDifference, double pwMccDifference, SeedStatistic mseRelativeDifference, SeedStatistic? recoveryDifference)
    {
        ArgumentNullException.ThrowIfNull(mseRelativeDifference);
        bool consistent = (sharedDifference >= ConsistencyGain || pwMccDifference >= ConsistencyGain) && mseRelativeDifference.Mean <= MseCost;
        string recovery = recoveryDifference is not { Count: > 0 } ? "there is no ground truth to say whether it recovers more true features"
            : $"ground-truth recovery @0.9 changed by {Signed(100 * recoveryDifference.Mean)} +- {100 * recoveryDifference.StandardDeviation:F1} points (paired), so it "
              + (recoveryDifference.Mean > 0 && recoveryDifference.Mean > recoveryDifference.StandardDeviation ? "raises" : "does not clearly raise") + " recovery";
        return new Finding(FindingKind.CouplingVersusBaseline, FindingSeverity.Note, Invariant(
            $"{variant} vs the baseline: shared@0.7 across seeds {Signed(100 * sharedDifference)} points and PW-MCC {Signed(100 * pwMccDifference)} points at {Signed(100 * mseRelativeDifference.Mean)}% held-out MSE (paired over {mseRelativeDifference.Count} seeds), so it {(consistent ? "meets" : "does not meet")} the bar of >= {100 * ConsistencyGain:F0} points at <= {100 * MseCost:F0}% MSE cost; {recovery}."),
            variant);
    }

    private static string Signed(double value) => value.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

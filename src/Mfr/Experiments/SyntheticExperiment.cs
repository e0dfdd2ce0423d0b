using System.Diagnostics;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Matching;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// Runs the synthetic experiment: for each seed, a baseline ensemble (independent SAEs) and one
/// MFR ensemble per beta, all on the same stream with the same initialisations, then measures
/// every SAE against the true features (SPEC 3) and the features' replication across runs. Ground-truth
/// recovery is also logged during training (<see cref="GroundTruthRecoveryEvaluator"/>, paper figure 8) and
/// each run's held-out evaluation is kept in final/evaluation.json (figure 5). Each
/// ensemble is an ordinary run folder (<c>OUT/seed-S/VARIANT/</c>), so an interrupted experiment
/// resumes where it stopped and every SAE can be loaded, evaluated or reported later.
/// </summary>
public static class SyntheticExperiment
{
    /// <summary>Seed offset of the independent replicate runs used for cross-run consistency.</summary>
    public const ulong ReplicateSeedOffset = 1_000_003;

    /// <summary>Cosine at which two latents of independent runs count as the same feature.</summary>
    public const double ReplicationThreshold = 0.7;

    /// <summary>Runs (or resumes) the experiment into <paramref name="outputDirectory"/> and writes its results.json there.</summary>
    /// <param name="config">Settings.</param>
    /// <param name="outputDirectory">Experiment folder.</param>
    /// <param name="progress">Called with the variant label and each step's progress.</param>
    /// <param name="cancellation">Interrupts after checkpointing the current run.</param>
    /// <returns>The results, or null when interrupted.</returns>
    public static SyntheticExperimentResult? Run(SyntheticExperimentConfig config, string outputDirectory, Func<string, IProgress<TrainingProgress>>? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        // Every variant's run is checked (settings, shapes, memory) before the first one trains (issue 13, class 5);
        // seeds change no shape, so the first seed's runs stand for all.
        foreach (var (_, mfr) in CoupledVariants(config).Select(v => (v.Name, (Regularization.MfrConfig?)v.Mfr)).Prepend(("baseline", null)))
            RunPreflight.Check(Specification(config, config.Data with { Seed = config.Seed }, config.Seed, mfr));
        // One experiment writer per folder (issue 13); each run also locks its own folder.
        using var folderLock = ExperimentFolder.Lock(outputDirectory);
        RunFolder.RemoveTemporaryFiles(outputDirectory);
        var clock = Stopwatch.StartNew();
        var rows = new List<SyntheticSaeResult>();
        var consistency = new List<CrossRunConsistency>();
        for (int repetition = 0; repetition < config.Seeds; repetition++)
        {
            ulong seed = config.Seed + (ulong)repetition;
            var data = config.Data with { Seed = seed };
            using var source = new SyntheticDataSource(data);
            var recovery = new GroundTruthRecoveryEvaluator(source.TrueFeatures, source.Config.FeatureCount, source.Dimension);
            var variants = new List<(string Name, Regularization.MfrConfig? Mfr)> { ("baseline", null) };
            variants.AddRange(CoupledVariants(config).Select(v => (v.Name, (Regularization.MfrConfig?)v.Mfr)));
            foreach (var (name, mfr) in variants)
            {
                string folder = Path.Combine(ExperimentFolder.SeedFolder(outputDirectory, seed), ExperimentFolder.VariantFolderName(name));
                using var run = TrainingRun.StartOrResume(Specification(config, data, seed, mfr), folder, progress?.Invoke($"seed {seed} {name}"), cancellation, recovery);
                if (!run.Completed) return null;
                rows.AddRange(Measure(config, source, run.Trainer, name, seed, folder));
                if (mfr is null)
                {
                    consistency.Add(CrossRun(name, seed, run.Trainer.Members[0].Sae, run.Trainer.Members[1].Sae));
                }
                else if (config.CrossRunConsistency)
                {
                    using var replicate = TrainingRun.StartOrResume(Specification(config, data, seed + ReplicateSeedOffset, mfr), folder + ExperimentFolder.ReplicateSuffix, progress?.Invoke($"seed {seed} {name} replicate"), cancellation, recovery);
                    if (!replicate.Completed) return null;
                    consistency.Add(CrossRun(name, seed, run.Trainer.Members[0].Sae, replicate.Trainer.Members[0].Sae));
                }
            }
        }
        var result = new SyntheticExperimentResult(config, rows, consistency, clock.Elapsed.TotalSeconds, SyntheticFindings.Of(config, rows));
        ExperimentFolder.WriteResults(outputDirectory, result);
        return result;
    }

    /// <summary>
    /// The coupled ensembles: one per beta for every mode that couples the SAEs by a penalty (MMCS or mean-max),
    /// named by mode and beta ("mfr beta=auto", "penalty beta=0.1", "mean-max beta=0.1"); the
    /// re-initialisation-only ablation has no penalty, so no beta, and runs once ("reinit").
    /// </summary>
    internal static IEnumerable<(string Name, Regularization.MfrConfig Mfr)> CoupledVariants(SyntheticExperimentConfig config)
    {
        var template = config.MfrTemplate;
        string mode = template.Mode switch
        {
            Regularization.MfrMode.MeanMax => "mean-max",
            _ => template.Mode.ToString().ToLowerInvariant(),
        };
        if (!template.CouplesSaes)
        {
            yield return (mode, template);
            yield break;
        }
        foreach (var beta in config.BetaValues)
            yield return ($"{mode} beta={(beta is double b ? b.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) : "auto")}", template with { Beta = beta });
    }

    private static RunSpecification Specification(SyntheticExperimentConfig config, SyntheticDataConfig data, ulong trainingSeed, Regularization.MfrConfig? mfr) => new(
        DataSpecification.ForSynthetic(data),
        Enumerable.Repeat(new SaeConfig(data.InputDim, config.LatentCount, config.K), config.SaesPerEnsemble).ToArray(),
        new TrainingConfig(config.SampleCount, config.BatchSize, config.LearningRate, config.Optimizer, Seed: trainingSeed, CheckpointEverySteps: 200, EvaluationEverySteps: config.RecoveryEverySteps),
        mfr);


    private static IEnumerable<SyntheticSaeResult> Measure(SyntheticExperimentConfig config, SyntheticDataSource source, Trainer trainer, string variant, ulong seed, string runDirectory)
    {
        var saes = trainer.Members.Select(m => m.Sae).ToArray();
        var reconstruction = HeldOutEvaluation.Run(saes, DataSpecification.ForSynthetic(source.Config), Math.Min(config.BatchSize, HeldOutData.MaxBatchSize), config.EvaluationBatches, runDirectory).Saes;
        int d = source.Dimension, n = source.Config.FeatureCount;
        var results = new List<SyntheticSaeResult>();
        for (int m = 0; m < saes.Length; m++)
        {
            var sae = saes[m];
            int h = sae.Config.LatentCount;
            var recovery = FeatureMatching.RecoverGroundTruth(sae.Decoder, h, source.TrueFeatures, n, d);
            var others = saes.Where((_, o) => o != m).ToArray();
            double partnerMmcs = others.Average(other => FeatureMatching.Mmcs(sae.Decoder, other.Decoder, h, other.Config.LatentCount, d).Mean);
            double pearson = FeatureConsistency.BestCosinePearson(sae, others, source.TrueFeatures, n);
            var member = trainer.Members[m];
            results.Add(new SyntheticSaeResult(variant, seed, m, member.Seed,
                reconstruction[m].Mse, reconstruction[m].Fvu, reconstruction[m].L0, reconstruction[m].DeadLatents,
                recovery.Mmcs, recovery.Recovery.Select(r => r.Fraction).ToArray(), partnerMmcs, pearson,
                member.ReinitializationCount, (trainer.Regularizer as Regularization.MmcsPenalty)?.Beta));
        }
        return results;
    }

    private static CrossRunConsistency CrossRun(string variant, ulong seed, TopKSae first, TopKSae second)
    {
        var matching = FeatureMatching.Mmcs(first.Decoder, second.Decoder, first.Config.LatentCount, second.Config.LatentCount, first.Config.InputDim);
        double share = matching.Pairs.Count(p => p.Cosine >= ReplicationThreshold) / (double)Math.Min(first.Config.LatentCount, second.Config.LatentCount);
        return new CrossRunConsistency(variant, seed, share, matching.Mean);
    }
}

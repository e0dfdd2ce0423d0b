using System.Diagnostics;
using Mfr.Checkpoints;
using Mfr.Consistency;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Matching;
using Mfr.Sae;
using Mfr.Synthetic.SynthSaeBench;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// The consistency experiment (issue 14 parts 2 and 4): for each seed and variant an ordinary, resumable run folder
/// (<c>OUT/seed-S/VARIANT/</c>) trained on one data world, then per SAE its held-out reconstruction and ground-truth
/// recovery, per variant its consistency across seeds at the end and at step 0, per independent ensemble its union as
/// one dictionary; <see cref="MeasureRuns"/> measures the same consistency over runs trained elsewhere (the EEG runs).
/// Ground-truth recovery is also logged during training (<see cref="GroundTruthRecoveryEvaluator"/>) so the report can
/// show whether the baseline's recovery has flattened by the end.
/// </summary>
public static class ConsistencyExperiment
{
    /// <summary>Runs (or resumes) the experiment into <paramref name="outputDirectory"/> and writes its results.json there.</summary>
    /// <param name="config">Settings.</param>
    /// <param name="outputDirectory">Experiment folder.</param>
    /// <param name="progress">Called with each run's label ("seed 0 baseline") for its step progress.</param>
    /// <param name="cancellation">Interrupts after checkpointing the current run.</param>
    /// <returns>The results, or null when interrupted.</returns>
    public static ConsistencyExperimentResult? Run(ConsistencyExperimentConfig config, string outputDirectory, Func<string, IProgress<TrainingProgress>>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        var world = ConsistencyWorld.For(config);
        // Every variant's run is checked (settings, files, memory) before the first trains (issue 13, class 5); seeds change no shape.
        int dimension = 0;
        foreach (var variant in config.VariantList) dimension = RunPreflight.Check(Specification(config, world.Data, 0, variant, config.Seed));
        using var folderLock = ExperimentFolder.Lock(outputDirectory);
        RunFolder.RemoveTemporaryFiles(outputDirectory);
        var clock = Stopwatch.StartNew();
        var recovery = world.TrueFeatures is { } truth ? new GroundTruthRecoveryEvaluator(truth, world.FeatureCount, dimension) : null;
        var rows = new List<ConsistencySaeResult>();
        var ensembles = new List<ConcatenatedEnsembleResult>();
        var finals = config.VariantList.ToDictionary(v => v.Name, _ => new List<IReadOnlyList<float[]>>());
        var initials = config.VariantList.ToDictionary(v => v.Name, _ => new List<IReadOnlyList<float[]>>());
        var mostDead = new Dictionary<string, int>();
        string data = "";
        foreach (ulong seed in config.TrainingSeeds())
        {
            foreach (var variant in config.VariantList)
            {
                string folder = Path.Combine(ExperimentFolder.SeedFolder(outputDirectory, seed), ExperimentFolder.VariantFolderName(variant.Name));
                var specification = Specification(config, world.Data, dimension, variant, seed);
                using var run = TrainingRun.StartOrResume(specification, folder, progress?.Invoke($"seed {seed} {variant.Name}"), cancellation, recovery);
                if (!run.Completed) return null;
                data = run.Source.Description;
                var saes = run.Trainer.Members.Select(m => m.Sae).ToArray();
                rows.AddRange(MeasureSaes(config, world, run.Trainer, variant.Name, seed, folder));
                finals[variant.Name].Add(saes.Select(sae => sae.Decoder.ToArray()).ToArray());
                initials[variant.Name].Add(InitialDecoders.Of(specification));
                if (variant.Mode == Regularization.MfrMode.Baseline && saes.Length >= 2) ensembles.Add(Concatenated(config, world, variant.Name, seed, saes));
                if (variant.AuxKCoefficient > 0) mostDead[variant.Name] = Math.Max(mostDead.GetValueOrDefault(variant.Name), MostDeadDuringTraining(folder));
            }
        }
        var variants = config.VariantList.Select(v => MeasureVariant(v.Name, finals[v.Name], initials[v.Name], world, config.LatentCount, dimension)).ToArray();
        var result = new ConsistencyExperimentResult(config, data, rows, variants, ensembles, clock.Elapsed.TotalSeconds, []);
        result = result with { Findings = ConsistencyFindings.Of(config, world.Data, rows, ConsistencyVariantSummary.Summarize(result), mostDead) };
        ExperimentFolder.WriteResults(outputDirectory, result);
        return result;
    }

    /// <summary>
    /// The same cross-run consistency over completed run folders trained elsewhere or earlier (for example one EEG run per
    /// seed by <c>mfr train</c>), without training: member m of every run against member m of the others (PW-MCC,
    /// shared@tau, stability), the same at step 0 from each run's run.json and seed (<see cref="InitialDecoders"/>), each
    /// SAE's held-out numbers from its saved evaluation (NaN when the run has none), and ground-truth recovery when the
    /// runs' data is generated.
    /// </summary>
    /// <param name="runFolders">At least two completed run folders whose SAEs have the same shapes.</param>
    /// <exception cref="ArgumentException">Fewer than two runs, or runs of different shapes.</exception>
    /// <exception cref="FileNotFoundException">A folder is not a run (no run.json).</exception>
    /// <exception cref="InvalidDataException">A run has not finished (no final SAEs) or a file is broken.</exception>
    public static ConsistencyRunsResult MeasureRuns(IReadOnlyList<string> runFolders)
    {
        ArgumentNullException.ThrowIfNull(runFolders);
        if (runFolders.Count < 2) throw new ArgumentException($"--runs needs at least two run folders to compare, got {runFolders.Count}.");
        // A run compared with itself agrees perfectly and would raise every consistency figure.
        if (runFolders.Select(Path.GetFullPath).GroupBy(f => f.TrimEnd(Path.DirectorySeparatorChar)).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new ArgumentException($"--runs names {repeated.Key} {repeated.Count()} times; each run can be compared only with other runs.");
        var specifications = runFolders.Select(TrainingRun.ReadSpecification).ToArray();
        var shape = specifications[0].Saes;
        for (int r = 1; r < runFolders.Count; r++)
        {
            if (!specifications[r].Saes.SequenceEqual(shape))
                throw new ArgumentException($"--runs: {runFolders[r]} has SAEs {Shapes(specifications[r].Saes)} but {runFolders[0]} has {Shapes(shape)}; compared runs need the same shapes.");
        }
        int latentCount = shape[0].LatentCount, dimension = shape[0].InputDim;
        if (shape.Any(sae => sae.LatentCount != latentCount || sae.InputDim != dimension))
            throw new ArgumentException($"--runs: the SAEs of one run differ in shape {Shapes(shape)}; member m is compared across runs, so each member needs the same h and d.");
        // Ground truth only when every run trained on the same generated world.
        var world = specifications.All(s => s.Data == specifications[0].Data) ? ConsistencyWorld.Of(specifications[0].Data) : new ConsistencyWorld(specifications[0].Data, null, 0);
        var rows = new List<ConsistencySaeResult>();
        var finals = new List<IReadOnlyList<float[]>>();
        for (int r = 0; r < runFolders.Count; r++)
        {
            var decoders = FinalDecoders(runFolders[r], shape.Length);
            finals.Add(decoders);
            rows.AddRange(SavedRows(runFolders[r], specifications[r], decoders, world));
        }
        if (BenchmarkSamplesFor(world.Data) > 0) rows = [.. WithBenchmarkScores(rows, runFolders, shape.Length, world.Data)];
        var initials = specifications.Select(InitialDecoders.Of).ToArray();
        var consistency = MeasureVariant("runs", finals, initials, world, latentCount, dimension);
        return new ConsistencyRunsResult([.. runFolders.Select(Path.GetFullPath)], shape.Length, latentCount, dimension, rows, consistency);
    }

    private static RunSpecification Specification(ConsistencyExperimentConfig config, DataSpecification data, int dimension, ConsistencyVariant variant, ulong seed)
    {
        // Before the preflight the file's d is unknown; the SAE shape is checked against the data there.
        int inputDim = dimension > 0 ? dimension : config.WorldConfig()?.InputDim ?? DataSources.Check(data);
        return new RunSpecification(data,
            Enumerable.Repeat(new SaeConfig(inputDim, config.LatentCount, config.K), config.SaesPerEnsemble).ToArray(),
            new TrainingConfig(config.SampleCount, config.BatchSize, config.LearningRate, config.Optimizer, Seed: seed, CheckpointEverySteps: 100,
                DeadLatentWindowSamples: config.DeadLatentWindowSamples, EvaluationEverySteps: config.RecoveryEverySteps, AuxKCoefficient: variant.AuxKCoefficient),
            variant.Regularization(config.MfrTemplate));
    }

    private static IEnumerable<ConsistencySaeResult> MeasureSaes(ConsistencyExperimentConfig config, ConsistencyWorld world, Trainer trainer, string variant, ulong seed, string runDirectory)
    {
        var saes = trainer.Members.Select(m => m.Sae).ToArray();
        var reconstruction = HeldOutEvaluation.Run(saes, world.Data, Math.Min(config.BatchSize, HeldOutData.MaxBatchSize), config.EvaluationBatches, runDirectory).Saes;
        double? beta = (trainer.Regularizer as Regularization.MmcsPenalty)?.Beta ?? (trainer.Regularizer as Regularization.MeanMaxPenalty)?.Beta;
        var benchmark = BenchmarkScores(saes, world.Data, config.BenchmarkSamples, Math.Min(config.BatchSize, HeldOutData.MaxBatchSize));
        return saes.Select((sae, m) =>
        {
            var (mmcs, recovered) = Recovery(sae.Decoder.ToArray(), sae.Config.LatentCount, world);
            return new ConsistencySaeResult(variant, seed, m, trainer.Members[m].Seed,
                reconstruction[m].Mse, reconstruction[m].Fvu, reconstruction[m].L0, reconstruction[m].DeadLatents,
                mmcs, recovered, PartnerMmcs(saes.Select(s => s.Decoder.ToArray()).ToArray(), m, sae.Config.LatentCount, sae.Config.InputDim),
                trainer.Members[m].ReinitializationCount, beta, benchmark?[m]);
        }).ToArray();
    }

    /// <summary>
    /// SynthSAEBench's own headline metrics of each SAE (<see cref="SynthSaeBenchMetrics"/>, as SAELens's
    /// eval_sae_on_synthetic_data computes them) by their SAELens names, when the data is a SynthSAEBench world and
    /// <paramref name="sampleCount"/> is positive; null otherwise. L0 and dead latents are left out: the held-out columns have them.
    /// </summary>
    internal static IReadOnlyDictionary<string, double>[]? BenchmarkScores(IReadOnlyList<TopKSae> saes, DataSpecification data, int sampleCount, int batchSize)
    {
        if (sampleCount < 1 || data.Kind != DataSpecification.SynthSaeBenchKind) return null;
        var source = SynthSaeBenchSource.Open(data.SynthSaeBenchOrDefault);
        return SynthSaeBenchMetrics.Evaluate(saes, source, sampleCount, batchSize).Select(scores => (IReadOnlyDictionary<string, double>)new Dictionary<string, double>
        {
            ["mcc"] = scores.Mcc,
            ["uniqueness"] = scores.Uniqueness,
            ["precision"] = scores.Precision,
            ["recall"] = scores.Recall,
            ["f1"] = scores.F1,
            ["accuracy"] = scores.Accuracy,
            ["explainedVariance"] = scores.ExplainedVariance,
            ["shrinkage"] = scores.Shrinkage,
        }).ToArray();
    }

    private static (double? Mmcs, double[]? Recovered) Recovery(float[] decoder, int latentCount, ConsistencyWorld world)
    {
        if (world.TrueFeatures is not { } truth) return (null, null);
        int dimension = decoder.Length / latentCount;
        var recovery = FeatureMatching.RecoverGroundTruth(decoder, latentCount, truth, world.FeatureCount, dimension);
        return (recovery.Mmcs, recovery.Recovery.Select(r => r.Fraction).ToArray());
    }

    private static double PartnerMmcs(IReadOnlyList<float[]> decoders, int member, int latentCount, int dimension) =>
        decoders.Count < 2 ? double.NaN
            : decoders.Where((_, other) => other != member).Average(other => FeatureMatching.Mmcs(decoders[member], other, latentCount, latentCount, dimension).Mean);

    private static ConcatenatedEnsembleResult Concatenated(ConsistencyExperimentConfig config, ConsistencyWorld world, string variant, ulong seed, IReadOnlyList<TopKSae> saes)
    {
        var union = saes.SelectMany(sae => sae.Decoder.ToArray()).ToArray();
        int latentCount = saes.Sum(sae => sae.Config.LatentCount);
        var (mmcs, recovered) = Recovery(union, latentCount, world);
        var (source, firstBatch) = HeldOutData.Open(world.Data);
        using (source)
        {
            var (batches, batchSize) = HeldOutData.Batches(source.VectorCount, Math.Min(config.BatchSize, HeldOutData.MaxBatchSize), config.EvaluationBatches);
            var (mse, fvu) = BaggedReconstruction.Measure(saes, source, firstBatch, batches, batchSize);
            return new ConcatenatedEnsembleResult(variant, seed, latentCount, mse, fvu, mmcs, recovered);
        }
    }

    private static ConsistencyVariantResult MeasureVariant(string variant, IReadOnlyList<IReadOnlyList<float[]>> finals, IReadOnlyList<IReadOnlyList<float[]>> initials,
        ConsistencyWorld world, int latentCount, int dimension)
    {
        var members = CrossSeedConsistency.MeasureMembers(finals, latentCount, dimension);
        var stepZero = CrossSeedConsistency.Of(CrossSeedConsistency.MeasureMembers(initials, latentCount, dimension));
        StabilityTruthAgreement? agreement = null;
        if (world.TrueFeatures is { } truth)
        {
            int threshold = members[0].Thresholds.ToList().IndexOf(ConsistencyVariantSummary.HeadlineThreshold);
            var perRun = new List<StabilityTruthAgreement>();
            for (int m = 0; m < members.Count; m++)
                for (int r = 0; r < finals.Count; r++)
                    perRun.Add(RunConsistency.CompareWithTruth(members[m].Stability[threshold][r], finals[r][m], latentCount, truth, world.FeatureCount, dimension,
                        ConsistencyVariantSummary.HeadlineThreshold));
            agreement = StabilityTruthAgreement.Combine(perRun);
        }
        return new ConsistencyVariantResult(variant, CrossSeedConsistency.Of(members), stepZero, agreement);
    }

    // The most dead latents (silent for the run's dead-latent window) any SAE had at any step of the run's log: what AuxK acted on.
    private static int MostDeadDuringTraining(string run) =>
        MetricLog.ReadSteps(Path.Combine(run, TrainingRun.MetricsFileName)).Select(step => step.DeadLatents.DefaultIfEmpty(0).Max()).DefaultIfEmpty(0).Max();

    private static IReadOnlyList<float[]> FinalDecoders(string run, int count)
    {
        string final = Path.Combine(run, "final");
        var decoders = new float[count][];
        for (int m = 0; m < count; m++)
        {
            string folder = TrainingCheckpoint.SaeFolder(final, m);
            if (!Directory.Exists(folder)) throw new InvalidDataException($"{run} has not finished: {folder} is missing.");
            using var sae = SaeFiles.Load(folder);
            decoders[m] = sae.Decoder.ToArray();
        }
        return decoders;
    }

    // A finished run's rows from what it saved: final/evaluation.json (NaN without it) and its re-initialisations from metrics.jsonl.
    private static IEnumerable<ConsistencySaeResult> SavedRows(string run, RunSpecification specification, IReadOnlyList<float[]> decoders, ConsistencyWorld world)
    {
        var evaluation = HeldOutEvaluation.Load(run);
        string log = Path.Combine(run, TrainingRun.MetricsFileName);
        var reinitializations = File.Exists(log) ? MetricLog.ReadReinitializations(log).GroupBy(e => e.Sae).ToDictionary(g => g.Key, g => g.Count()) : [];
        var shape = specification.Saes[0];
        return decoders.Select((decoder, m) =>
        {
            var metrics = evaluation is { Saes.Length: var count } && count == decoders.Count ? evaluation.Saes[m] : null;
            var (mmcs, recovered) = Recovery(decoder, shape.LatentCount, world);
            return new ConsistencySaeResult(Path.GetFileName(Path.GetFullPath(run).TrimEnd(Path.DirectorySeparatorChar)), specification.Training.Seed, m, Trainer.MemberSeed(specification.Training.Seed, m),
                metrics?.Mse ?? double.NaN, metrics?.Fvu ?? double.NaN, metrics?.L0 ?? double.NaN, metrics?.DeadLatents ?? -1,
                mmcs, recovered, PartnerMmcs(decoders, m, shape.LatentCount, shape.InputDim), reinitializations.GetValueOrDefault(m), null);
        }).ToArray();
    }

    // Post-hoc runs on a SynthSAEBench world get its headline metrics at the experiment's default sample count.
    private static int BenchmarkSamplesFor(DataSpecification data) => data.Kind == DataSpecification.SynthSaeBenchKind ? ConsistencyExperimentConfig.Default.BenchmarkSamples : 0;

    private static IEnumerable<ConsistencySaeResult> WithBenchmarkScores(IReadOnlyList<ConsistencySaeResult> rows, IReadOnlyList<string> runFolders, int saesPerRun, DataSpecification data)
    {
        for (int r = 0; r < runFolders.Count; r++)
        {
            string final = Path.Combine(runFolders[r], "final");
            var saes = Enumerable.Range(0, saesPerRun).Select(m => SaeFiles.Load(TrainingCheckpoint.SaeFolder(final, m))).ToArray();
            try
            {
                var scores = BenchmarkScores(saes, data, BenchmarkSamplesFor(data), HeldOutData.MaxBatchSize)!;
                for (int m = 0; m < saesPerRun; m++) yield return rows[r * saesPerRun + m] with { Benchmark = scores[m] };
            }
            finally
            {
                foreach (var sae in saes) sae.Dispose();
            }
        }
    }

    private static string Shapes(IEnumerable<SaeConfig> saes) => "[" + string.Join("; ", saes.Select(s => s.Describe())) + "]";
}

using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Interop;
using Mfr.Sae;
using Mfr.Synthetic.SynthSaeBench;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// `mfr eval`: loads saved SAEs and measures them through the one evaluation path (<see cref="HeldOutEvaluation.Run"/>), without
/// writing anything. SAEs from any source are measured (issue 15 item 5): tied ones (Mfr's own, and SAELens / sparsify folders whose
/// W_dec is the row-normalised transpose of W_enc) by Mfr's evaluator, untied ones by <see cref="UntiedSaeEvaluator"/> on the same
/// batches of the same data, so the table is the same either way.
/// </summary>
public static class EvalExperiment
{
    /// <summary>Evaluates the SAEs of <paramref name="config"/>.</summary>
    public static EvalExperimentResult Run(EvalExperimentConfig config)
    {
        config.Validate();
        var loaded = new List<(TopKSae? Tied, UntiedTopKSae? Untied)>();
        try
        {
            foreach (string folder in config.Saes) loaded.Add(Load(Path.GetFullPath(folder)));
            int inputDim = loaded[0].Tied?.Config.InputDim ?? loaded[0].Untied!.InputDim;
            var data = DataFor(config, inputDim);
            var tied = loaded.Where(sae => sae.Tied is not null).Select(sae => sae.Tied!).ToArray();
            if (tied.Length == loaded.Count)
            {
                var evaluation = HeldOutEvaluation.Run(tied, data, config.BatchSize, config.Batches, runDirectory: null);
                return new EvalExperimentResult(evaluation.Data, evaluation.Saes[0].Samples,
                    tied.Select((sae, m) => new EvaluatedSae(config.Saes[m], sae.Config.K, sae.Config.LatentCount, evaluation.Saes[m])).ToArray());
            }
            return MeasureMixed(config, loaded, tied, data);
        }
        finally
        {
            foreach (var sae in loaded) sae.Tied?.Dispose();
        }
    }

    /// <summary>
    /// The data <paramref name="config"/> names: the built-in generator at the SAEs' width, a SynthSAEBench preset (or the config's
    /// own SynthSAEBench settings) with the --data-seed, a run folder (the data its run.json records, so its own SAEs are measured on
    /// what they were trained on, fresh samples for generated data), or an array file.
    /// </summary>
    /// <exception cref="ArgumentException">Generated data of another width than the SAEs.</exception>
    internal static DataSpecification DataFor(EvalExperimentConfig config, int inputDim)
    {
        DataSpecification data;
        if (config.Data == DataSpecification.SyntheticKind) return DataSpecification.ForSynthetic(config.Synthetic with { InputDim = inputDim });
        if (config.Data == DataSpecification.SynthSaeBenchKind || SynthSaeBenchConfig.IsPresetName(config.Data))
        {
            var benchmark = config.Data == DataSpecification.SynthSaeBenchKind ? config.SynthSaeBench ?? SynthSaeBenchConfig.Standard16k : SynthSaeBenchConfig.Preset(config.Data);
            data = DataSpecification.ForSynthSaeBench(benchmark with { Seed = config.Synthetic.Seed });
        }
        else if (Directory.Exists(config.Data) && File.Exists(Path.Combine(config.Data, TrainingRun.SpecificationFileName)))
        {
            data = TrainingRun.ReadSpecification(Path.GetFullPath(config.Data)).Data;
        }
        else
        {
            return new DataSpecification(DataSpecification.FileKind, Path: Path.GetFullPath(config.Data), TensorName: config.TensorName);
        }
        if (data.GeneratedDimension is int width && width != inputDim)
            throw new ArgumentException($"--data {config.Data} generates vectors of d = {width}; the SAEs take d = {inputDim}.");
        return data;
    }

    /// <summary>At least one untied SAE: every SAE on the same batches of one opened source, each by the evaluator its form needs.</summary>
    private static EvalExperimentResult MeasureMixed(EvalExperimentConfig config, List<(TopKSae? Tied, UntiedTopKSae? Untied)> loaded, TopKSae[] tied, DataSpecification data)
    {
        var (source, firstBatch) = HeldOutData.Open(data);
        using (source)
        {
            var (batches, batchSize) = HeldOutData.Batches(source.VectorCount, config.BatchSize, config.Batches);
            var tiedMetrics = tied.Length > 0 ? HeldOutEvaluation.Measure(tied, source, firstBatch, batches, batchSize).Saes : [];
            var results = new EvaluatedSae[loaded.Count];
            int nextTied = 0;
            for (int m = 0; m < loaded.Count; m++)
            {
                var (tiedSae, untied) = loaded[m];
                results[m] = tiedSae is not null
                    ? new EvaluatedSae(config.Saes[m], tiedSae.Config.K, tiedSae.Config.LatentCount, tiedMetrics[nextTied++])
                    : new EvaluatedSae(config.Saes[m], untied!.K, untied.LatentCount, UntiedSaeEvaluator.Evaluate(untied, source, firstBatch, batches, batchSize));
            }
            return new EvalExperimentResult(source.Description, results[0].Metrics.Samples, results);
        }
    }

    /// <summary>Mfr's tied model where the folder holds one (exactly as before), else the untied form of an SAELens / sparsify folder.</summary>
    private static (TopKSae? Tied, UntiedTopKSae? Untied) Load(string folder)
    {
        if (!SaeImport.IsForeign(folder)) return (SaeFiles.Load(folder), null);
        var untied = SaeImport.Read(folder);
        return untied.IsTied ? (untied.ToTopKSae(folder), null) : (null, untied);
    }
}

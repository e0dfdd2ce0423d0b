using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Sae;

namespace Mfr.Experiments;

/// <summary>`mfr eval`: loads saved SAEs and measures them through the one evaluation path (<see cref="HeldOutEvaluation.Run"/>), without writing anything.</summary>
public static class EvalExperiment
{
    /// <summary>Evaluates the SAEs of <paramref name="config"/>.</summary>
    public static EvalExperimentResult Run(EvalExperimentConfig config)
    {
        config.Validate();
        var loaded = new List<TopKSae>();
        try
        {
            foreach (string folder in config.Saes) loaded.Add(SaeFiles.Load(Path.GetFullPath(folder)));
            var data = config.Data == "synthetic"
                ? DataSpecification.ForSynthetic(config.Synthetic with { InputDim = loaded[0].Config.InputDim })
                : new DataSpecification("file", Path: Path.GetFullPath(config.Data), TensorName: config.TensorName);
            var evaluation = HeldOutEvaluation.Run(loaded, data, config.BatchSize, config.Batches, runDirectory: null);
            return new EvalExperimentResult(evaluation.Data, evaluation.Saes[0].Samples,
                loaded.Select((sae, m) => new EvaluatedSae(config.Saes[m], sae.Config.K, sae.Config.LatentCount, evaluation.Saes[m])).ToArray());
        }
        finally
        {
            foreach (var sae in loaded) sae.Dispose();
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.Gpt2;
using Mfr.IO;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Experiments;

/// <summary>
/// Runs a <see cref="Gpt2ExperimentConfig"/>: splits the token file (<see cref="TokenSplit"/>), extracts the
/// hook point's activations of both parts into OUT/data (each with a manifest; reused when the manifest
/// matches), runs the k sweep on them, then measures loss recovered for every SAE of both ensembles by splicing
/// its reconstruction in at the same hook, and writes results.json. Also the two stages on their own
/// (`mfr gpt2 activations`, `mfr gpt2 loss-recovered`).
/// </summary>
public static class Gpt2Experiment
{
    /// <summary>Runs or resumes the experiment in <paramref name="outputDirectory"/>; null when interrupted during training.</summary>
    public static Gpt2ExperimentResult? Run(Gpt2ExperimentConfig config, string outputDirectory, ExperimentProgress? progress = null, CancellationToken cancellation = default)
    {
        config.Validate();
        // The tokens, the model and what is asked of them are checked before the experiment's folder is made, so a
        // wrong path or setting leaves nothing behind.
        var tokenFile = TokenFile.Open(config.Tokens!);
        using var weights = Gpt2Weights.Load(config.Model!);
        var model = new Gpt2Model(weights);
        model.ThrowIfNotABlock(config.Layer);
        model.ThrowIfNotAContextLength(config.ContextLength);
        long wanted = config.Sweep.Training.SampleCount;
        var split = TokenSplit.For(tokenFile.Tokens.Length, wanted, config.HeldOutTokens);
        // One experiment writer per folder (issue 13), held from before the data are prepared; each run also locks
        // its own folder. Cleaning removes what a killed extraction or write left behind (gigabytes of activations).
        using var folderLock = ExperimentFolder.Lock(outputDirectory);
        RunFolder.RemoveTemporaryFiles(outputDirectory);
        // A model folder without config.json: the head count is inferred, and the user is told how.
        if (weights.ConfigNote is string note) progress?.Notes?.Report(note);
        if (split.TrainingTokens < wanted)
            progress?.Notes?.Report($"{tokenFile.Path} holds {tokenFile.Tokens.Length:N0} tokens: activations of the first {split.TrainingTokens:N0} for training " +
                $"(the SAEs take their {wanted:N0} samples in epochs over them), the next {split.HeldOutTokens:N0} held out.");
        string data = Path.Combine(outputDirectory, ExperimentFolder.DataFolder);
        Directory.CreateDirectory(data);
        string trainPath = Path.Combine(data, "train.npy"), heldOutPath = Path.Combine(data, "heldout.npy");
        ExtractOnce(model, tokenFile, 0, split.TrainingTokens, config, trainPath, progress, cancellation);
        ExtractOnce(model, tokenFile, split.HeldOutFirst, split.HeldOutTokens, config, heldOutPath, progress, cancellation);
        var sweep = KSweep.Execute(config.Sweep.For(new DataSpecification("file", Path: trainPath, Seed: config.Sweep.Training.Seed, HeldOutPath: heldOutPath)),
            outputDirectory, progress?.Runs, cancellation);
        if (sweep is null) return null;
        var lossRecovered = new List<Gpt2LossRecovered>();
        foreach (string ensemble in new[] { ExperimentFolder.BaselineRun, ExperimentFolder.CoupledRun })
        {
            var saes = LoadFinalSaes(Path.Combine(outputDirectory, ensemble));
            try
            {
                var result = LossRecovered.Measure(model, tokenFile.Tokens, split.HeldOutFirst, split.HeldOutTokens, config.ContextLength, saes, config.Layer, config.Hook, cancellation);
                lossRecovered.Add(new Gpt2LossRecovered(ensemble, saes.Select(s => s.Config.K).ToArray(), result));
            }
            finally
            {
                foreach (var sae in saes) sae.Dispose();
            }
        }
        var experiment = new Gpt2ExperimentResult(config, split, sweep, lossRecovered);
        ExperimentFolder.WriteResults(outputDirectory, experiment);
        return experiment;
    }

    /// <summary>
    /// Writes the activations of <paramref name="layer"/>'s <paramref name="hook"/> for <paramref name="tokenCount"/> tokens from
    /// <paramref name="firstToken"/> to <paramref name="outputPath"/> (.npy <c>[tokens, n_embd]</c>) and its manifest to OUTPUT.json.
    /// </summary>
    public static Gpt2ActivationManifest ExtractActivations(Gpt2Model model, TokenFile tokens, long firstToken, long tokenCount, int contextLength, int layer, Gpt2HookPoint hook,
        string outputPath, ExperimentProgress? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var sink = progress?.Activations is { } activations ? new TokenProgress(activations, tokenCount) : null;
        var file = ActivationExtraction.Extract(model, tokens.Tokens, firstToken, tokenCount, contextLength, layer, hook, outputPath, sink, cancellation);
        var manifest = new Gpt2ActivationManifest(tokens.Path, firstToken, file.TokenCount, contextLength, layer, hook, model.Config.ToString(), clock.Elapsed.TotalSeconds);
        AtomicFile.WriteAllText(ManifestPath(outputPath), JsonSerializer.Serialize(manifest, IndentedOptions) + "\n");
        progress?.Notes?.Report($"wrote {file.TokenCount:N0} x {file.Dimension} activations to {outputPath} in {clock.Elapsed.TotalSeconds:F1} s");
        return manifest;
    }

    /// <summary>The manifest path of an activation file.</summary>
    public static string ManifestPath(string activationPath) => activationPath + ".json";

    /// <summary>The final SAEs of the run in <paramref name="runDirectory"/>, in ensemble order (the caller disposes them).</summary>
    public static List<TopKSae> LoadFinalSaes(string runDirectory) =>
        Directory.GetDirectories(Path.Combine(runDirectory, "final"), "sae-*").Order(StringComparer.Ordinal).Select(SaeFiles.Load).ToList();

    // An activation file is reused only when its manifest says it holds what this run asks for: a re-run with another
    // layer or hook into the same folder would otherwise train on the old activations and resume the old runs.
    private static void ExtractOnce(Gpt2Model model, TokenFile tokens, long first, long count, Gpt2ExperimentConfig config, string path, ExperimentProgress? progress, CancellationToken cancellation)
    {
        if (File.Exists(path) && File.Exists(ManifestPath(path)))
        {
            var existing = JsonFile.Read<Gpt2ActivationManifest>(ManifestPath(path), MetricLog.JsonOptions);
            // Manifests written before this record (snake_case keys) read as zeros: those folders were always block-0 MLP.
            if (existing.ContextLength == 0 && existing.Model is null) return;
            if (existing.FirstToken == first && existing.TokenCount == count && existing.ContextLength == config.ContextLength && existing.Layer == config.Layer && existing.Hook == config.Hook) return;
            throw new ArgumentException($"{path} holds activations of layer {existing.Layer} {existing.Hook}, tokens {existing.FirstToken:N0}+{existing.TokenCount:N0}, context {existing.ContextLength}; " +
                $"this run asks for layer {config.Layer} {config.Hook}, tokens {first:N0}+{count:N0}, context {config.ContextLength}. Choose another --out.");
        }
        if (File.Exists(path)) return;
        ExtractActivations(model, tokens, first, count, config.ContextLength, config.Layer, config.Hook, path, progress, cancellation);
    }

    private sealed class TokenProgress(IProgress<ActivationProgress> target, long total) : IProgress<long>
    {
        public void Report(long value) => target.Report(new ActivationProgress(value, total));
    }

    private static JsonSerializerOptions IndentedOptions { get; } = new(MetricLog.JsonOptions) { WriteIndented = true };
}

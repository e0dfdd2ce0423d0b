using System.Diagnostics;
using Mfr.Numerics;

namespace Mfr.Gpt2;

/// <summary>
/// Stopwatch harness for the GPT-2 forward pass (STYLE.md 15: speed claims come from here, not from
/// tests). Measures, at one context length, with <see cref="Parallelism.MaxThreads"/> threads:
/// block-0 MLP-output extraction (<see cref="Gpt2Model.RunToLayer"/>), all blocks without the
/// unembedding, and the full forward pass with cross-entropy (<see cref="Gpt2Model.ComputeLoss"/>).
/// Each is run once to warm up, then <c>repeats</c> times; the median is reported. Token ids are
/// random (the speed does not depend on them).
/// </summary>
public static class Gpt2Timings
{
    /// <summary>Writes a timing table for the model in <paramref name="modelDirectory"/>.</summary>
    /// <param name="output">Where the report goes.</param>
    /// <param name="modelDirectory">
    /// Folder with <c>model.safetensors</c> (+ <c>config.json</c>); when it has none, a random GPT-2 Small is
    /// written there first (497 MB, seed 1).
    /// </param>
    /// <param name="sequenceLength">Tokens per sequence (1024 for the targets in the task).</param>
    /// <param name="batchSize">Sequences per call.</param>
    /// <param name="repeats">Timed runs per measurement (median reported).</param>
    public static void Run(TextWriter output, string modelDirectory, int sequenceLength = 1024, int batchSize = 1, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        if (!File.Exists(Path.Combine(modelDirectory, Gpt2Weights.ModelFileName)))
        {
            var writing = Stopwatch.StartNew();
            Gpt2Weights.WriteRandom(modelDirectory, Gpt2Config.Small, seed: 1);
            output.WriteLine($"wrote random GPT-2 Small to {modelDirectory} in {writing.Elapsed.TotalSeconds:F1} s");
        }
        var loading = Stopwatch.StartNew();
        using var weights = Gpt2Weights.Load(modelDirectory);
        output.WriteLine($"loaded {modelDirectory} in {loading.Elapsed.TotalSeconds:F1} s: {weights.Config}");

        var model = new Gpt2Model(weights);
        using var workspace = model.CreateWorkspace();
        var config = model.Config;
        if (sequenceLength < 2 || sequenceLength > config.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(sequenceLength), sequenceLength, $"The context length (--context) must be in [2, {config.ContextLength}], the model's context length; got {sequenceLength}.");
        var tokens = new int[batchSize * sequenceLength];
        var rng = new Rng(20241103);
        for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.NextInt(config.VocabularySize);
        var activations = new float[tokens.Length * config.EmbeddingDim];

        output.WriteLine($"threads {Parallelism.MaxThreads}, batch {batchSize} x {sequenceLength} tokens, median of {repeats} (after 1 warm-up)");
        // CPU seconds beside wall seconds: on a shared machine the wall time also counts waiting for a core.
        output.WriteLine($"{"measurement",-40} {"seconds",10} {"tokens/s",12} {"cpu-seconds",12}");
        Report(output, "block 0 MLP output (RunToLayer)", tokens.Length, repeats,
            () => model.RunToLayer(tokens, batchSize, sequenceLength, 0, Gpt2HookPoint.MlpOutput, workspace, activations));
        Report(output, $"all {config.LayerCount} blocks, no unembedding", tokens.Length, repeats,
            () => model.RunToLayer(tokens, batchSize, sequenceLength, config.LayerCount - 1, Gpt2HookPoint.ResidualAfterBlock, workspace, activations));
        double loss = 0;
        Report(output, "full forward + cross-entropy", tokens.Length, repeats,
            () => loss = model.ComputeLoss(tokens, batchSize, sequenceLength, workspace).MeanCrossEntropy);
        output.WriteLine($"(cross-entropy of the random tokens: {loss:F4}; ln(vocabulary) = {Math.Log(config.VocabularySize):F4})");
    }

    private static void Report(TextWriter output, string name, int tokenCount, int repeats, Action run)
    {
        run();
        var seconds = new double[repeats];
        var cpuSeconds = new double[repeats];
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeats; i++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            run();
            seconds[i] = stopwatch.Elapsed.TotalSeconds;
            process.Refresh();
            cpuSeconds[i] = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        }
        Array.Sort(seconds);
        Array.Sort(cpuSeconds);
        double median = seconds[repeats / 2];
        output.WriteLine($"{name,-40} {median,10:F3} {tokenCount / median,12:F0} {cpuSeconds[repeats / 2],12:F3}");
    }
}

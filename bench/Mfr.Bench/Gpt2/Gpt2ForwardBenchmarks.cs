using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Mfr.Gpt2;
using Mfr.Numerics;

namespace Mfr.Bench.Gpt2;

/// <summary>
/// GPT-2 Small forward pass at context 1024 on a random model (the same measurements as the Stopwatch
/// harness <see cref="Gpt2Timings"/>, which is quicker to run: <c>Mfr.Bench gpt2-timings [modelDir]</c>).
/// The model is read from <c>MFR_GPT2_MODEL_DIR</c>, or written once to a temp folder.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class Gpt2ForwardBenchmarks
{
    private Gpt2Weights weights = null!;
    private Gpt2Model model = null!;
    private Gpt2Workspace workspace = null!;
    private int[] tokens = null!;
    private float[] activations = null!;

    [Params(1024)]
    public int SequenceLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string directory = Environment.GetEnvironmentVariable("MFR_GPT2_MODEL_DIR") ?? Path.Combine(Path.GetTempPath(), "mfr-gpt2-small-random");
        if (!File.Exists(Path.Combine(directory, Gpt2Weights.ModelFileName))) Gpt2Weights.WriteRandom(directory, Gpt2Config.Small, seed: 1);
        weights = Gpt2Weights.Load(directory);
        model = new Gpt2Model(weights);
        workspace = model.CreateWorkspace();
        var rng = new Rng(20241103);
        tokens = new int[SequenceLength];
        for (int i = 0; i < tokens.Length; i++) tokens[i] = rng.NextInt(model.Config.VocabularySize);
        activations = new float[SequenceLength * model.Config.EmbeddingDim];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        workspace.Dispose();
        weights.Dispose();
    }

    /// <summary>Embeddings + block 0 up to its MLP output (SAE training data, SPEC section 4).</summary>
    [Benchmark]
    public void Block0MlpOutput() =>
        model.RunToLayer(tokens, 1, SequenceLength, 0, Gpt2HookPoint.MlpOutput, workspace, activations);

    /// <summary>All 12 blocks, the unembedding and the cross-entropy (loss recovered).</summary>
    [Benchmark]
    public double FullForwardCrossEntropy() =>
        model.ComputeLoss(tokens, 1, SequenceLength, workspace).MeanCrossEntropy;
}

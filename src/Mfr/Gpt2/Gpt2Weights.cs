using System.Buffers;
using Mfr.IO;
using Mfr.Numerics;

namespace Mfr.Gpt2;

/// <summary>
/// The parameters of a GPT-2 model in one 64-byte-aligned buffer (STYLE.md 9), loaded from a Hugging
/// Face <c>model.safetensors</c> (names with or without the <c>transformer.</c> prefix, F32/F16/BF16;
/// <c>h.{i}.attn.bias</c> / <c>attn.masked_bias</c> buffers ignored; no <c>lm_head.weight</c> needed, the
/// unembedding is tied to <c>wte.weight</c>). Conv1D weights are stored transposed (see
/// <see cref="Gpt2BlockParameter"/>). Dispose to free the memory (GPT-2 Small: 497 MB).
/// </summary>
public sealed class Gpt2Weights : IDisposable
{
    /// <summary>File name of the weights in a model folder.</summary>
    public const string ModelFileName = "model.safetensors";

    /// <summary>File name of the config in a model folder.</summary>
    public const string ConfigFileName = "config.json";

    private const string Prefix = "transformer.";

    private Gpt2Weights(Gpt2TensorLayout layout)
    {
        Layout = layout;
        Buffer = new AlignedBuffer(layout.TotalLength);
    }

    /// <summary>The model's shape.</summary>
    public Gpt2Config Config => Layout.Config;

    /// <summary>
    /// What was assumed about the shape when neither a config nor config.json gave it (the head count of a
    /// GPT-2 width, <see cref="Gpt2ConfigInference"/>), for the caller to show; null when nothing was.
    /// </summary>
    public string? ConfigNote { get; private set; }

    /// <summary>Token embedding <c>wte</c>, <c>[VocabularySize, EmbeddingDim]</c>; also the unembedding.</summary>
    public Span<float> TokenEmbedding => View(Layout.TokenEmbedding);

    /// <summary>Position embedding <c>wpe</c>, <c>[ContextLength, EmbeddingDim]</c>.</summary>
    public Span<float> PositionEmbedding => View(Layout.PositionEmbedding);

    /// <summary>Final LayerNorm weight <c>ln_f.weight</c>, <c>[EmbeddingDim]</c>.</summary>
    public Span<float> FinalNormWeight => View(Layout.FinalNormWeight);

    /// <summary>Final LayerNorm bias <c>ln_f.bias</c>, <c>[EmbeddingDim]</c>.</summary>
    public Span<float> FinalNormBias => View(Layout.FinalNormBias);

    internal Gpt2TensorLayout Layout { get; }

    internal AlignedBuffer Buffer { get; }

    /// <summary>A parameter of block <paramref name="layer"/> (shapes in <see cref="Gpt2BlockParameter"/>).</summary>
    /// <param name="layer">Block index in <c>[0, LayerCount)</c>.</param>
    /// <param name="parameter">Which parameter.</param>
    public Span<float> GetBlockParameter(int layer, Gpt2BlockParameter parameter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Config.LayerCount);
        return View(Layout.Block(layer, parameter));
    }

    internal Span<float> View(Gpt2TensorSpec spec) => Buffer.Slice(spec.Offset, spec.Length);

    /// <summary>
    /// Loads a model from a safetensors file, or from a folder holding <c>model.safetensors</c>. The
    /// shape comes from <paramref name="config"/>, else from <c>config.json</c> beside the file, else
    /// from the tensor shapes (vocabulary and width from <c>wte</c>, context from <c>wpe</c>, blocks by
    /// counting <c>h.{i}</c>, epsilon 1e-5); the head count cannot be seen in any shape, so heads are then
    /// assumed 64 wide (<c>n_head = n_embd / 64</c>, GPT-2's choice at every size), for GPT-2's four widths
    /// only (another width is refused), and <see cref="ConfigNote"/> says so.
    /// </summary>
    /// <param name="path">A <c>.safetensors</c> file or a folder containing <c>model.safetensors</c>.</param>
    /// <param name="config">The shape, or null to read or infer it.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A missing tensor or a wrong shape (the message names it), a bad config.</exception>
    public static Gpt2Weights Load(string path, Gpt2Config? config = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string file = Directory.Exists(path) ? Path.Combine(path, ModelFileName) : path;
        if (!File.Exists(file)) throw new FileNotFoundException($"GPT-2 weights not found: {file}", file);
        string configFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, ConfigFileName);
        if (config is null && File.Exists(configFile)) config = Gpt2Config.Load(configFile);
        using var safetensors = SafetensorsFile.Open(file);
        return FromSource(new SafetensorsTensorSource(safetensors), config);
    }

    /// <summary>Builds a model from tensors in memory, named and shaped as in a Hugging Face file.</summary>
    /// <param name="tensors">The tensors (Conv1D weights <c>[in, out]</c> as Hugging Face stores them).</param>
    /// <param name="config">The shape, or null to infer it from the tensor shapes.</param>
    /// <exception cref="InvalidDataException">A missing tensor or a wrong shape (the message names it).</exception>
    public static Gpt2Weights FromTensors(IEnumerable<NamedTensor> tensors, Gpt2Config? config = null) =>
        FromSource(new InMemoryTensorSource(tensors), config);

    /// <summary>
    /// A randomly initialised model as Hugging Face's <c>GPT2PreTrainedModel._init_weights</c> makes it:
    /// weights and embeddings N(0, 0.02), each block's output projections N(0, 0.02 / sqrt(2 LayerCount)),
    /// biases 0, LayerNorm weights 1. Tensor i draws from <c>Rng.ForStream(seed, i)</c>.
    /// </summary>
    /// <param name="config">The shape.</param>
    /// <param name="seed">Random seed.</param>
    public static Gpt2Weights CreateRandom(Gpt2Config config, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var weights = new Gpt2Weights(new Gpt2TensorLayout(config));
        var tensors = weights.Layout.Tensors;
        double projectionStd = 0.02 / Math.Sqrt(2.0 * config.LayerCount);
        Parallel.For(0, tensors.Count, Parallelism.Options, index =>
        {
            var spec = tensors[index];
            var values = weights.View(spec);
            if (spec.Name.EndsWith(".bias", StringComparison.Ordinal)) values.Clear();
            else if (spec.Name.Contains("ln_", StringComparison.Ordinal)) values.Fill(1f);
            else
            {
                double std = spec.Name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? projectionStd : 0.02;
                var rng = Rng.ForStream(seed, (ulong)index);
                rng.FillGaussian(values);
                for (int i = 0; i < values.Length; i++) values[i] *= (float)std;
            }
        });
        return weights;
    }

    /// <summary>
    /// Writes the model as a Hugging Face folder: <c>model.safetensors</c> (F32, no prefix, Conv1D weights
    /// <c>[in, out]</c>) and <c>config.json</c>. Needs as much free memory as the model again.
    /// </summary>
    /// <param name="directory">Target folder, created if needed; existing files are replaced.</param>
    public void Save(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var tensors = new List<NamedTensor>(Layout.Tensors.Count);
        foreach (var spec in Layout.Tensors)
        {
            var data = new float[spec.Length];
            if (spec.IsConv1DWeight) Transpose(View(spec), rows: (int)spec.FileShape[1], columns: (int)spec.FileShape[0], data);
            else View(spec).CopyTo(data);
            tensors.Add(new NamedTensor(spec.Name, spec.FileShape, data));
        }
        SafetensorsWriter.Write(Path.Combine(directory, ModelFileName), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        Config.Save(Path.Combine(directory, ConfigFileName));
    }

    /// <summary>
    /// Writes a randomly initialised model (<see cref="CreateRandom"/>) of any shape as a Hugging Face folder
    /// (<see cref="Save"/>): the stand-in for real GPT-2 weights in benchmarks (GPT-2 Small: 497 MB).
    /// </summary>
    /// <param name="directory">Target folder, created if needed.</param>
    /// <param name="config">The shape, e.g. <see cref="Gpt2Config.Small"/>.</param>
    /// <param name="seed">Random seed.</param>
    public static void WriteRandom(string directory, Gpt2Config config, ulong seed)
    {
        using var weights = CreateRandom(config, seed);
        weights.Save(directory);
    }

    /// <summary>Frees the parameter memory.</summary>
    public void Dispose() => Buffer.Dispose();

    private static Gpt2Weights FromSource(IGpt2TensorSource source, Gpt2Config? config)
    {
        string prefix = source.Contains("wte.weight") ? "" : source.Contains(Prefix + "wte.weight") ? Prefix
            : throw new InvalidDataException($"{source.Description}: no 'wte.weight' or '{Prefix}wte.weight'; not a Hugging Face GPT-2 model.");
        bool inferred = config is null;
        config ??= Gpt2ConfigInference.FromShapes(source, prefix);
        config.Validate();
        if (source.Contains($"{prefix}h.{config.LayerCount}.ln_1.weight"))
            throw new InvalidDataException($"{source.Description}: has a block {config.LayerCount} but the config says n_layer = {config.LayerCount}.");

        var weights = new Gpt2Weights(new Gpt2TensorLayout(config)) { ConfigNote = inferred ? Gpt2ConfigInference.Describe(config) : null };
        try
        {
            foreach (var spec in weights.Layout.Tensors) weights.ReadTensor(source, prefix + spec.Name, spec);
            weights.CheckTiedUnembedding(source);
            return weights;
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    private void ReadTensor(IGpt2TensorSource source, string name, Gpt2TensorSpec spec)
    {
        if (!source.Contains(name))
            throw new InvalidDataException($"{source.Description}: tensor '{name}' is missing (model with n_layer = {Config.LayerCount}).");
        var shape = source.GetShape(name);
        if (!shape.SequenceEqual(spec.FileShape))
            throw new InvalidDataException(
                $"{source.Description}: tensor '{name}' has shape {Gpt2TensorSpec.Format(shape)}, expected {Gpt2TensorSpec.Format(spec.FileShape)} " +
                $"(n_embd = {Config.EmbeddingDim}, vocab_size = {Config.VocabularySize}, n_positions = {Config.ContextLength}).");
        if (!spec.IsConv1DWeight)
        {
            source.Read(name, View(spec));
            return;
        }
        float[] fileLayout = ArrayPool<float>.Shared.Rent(spec.Length);
        try
        {
            var inOut = fileLayout.AsSpan(0, spec.Length);
            source.Read(name, inOut);
            Transpose(inOut, rows: (int)spec.FileShape[0], columns: (int)spec.FileShape[1], View(spec));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(fileLayout);
        }
    }

    // An untied lm_head would make the tied unembedding wrong; Hugging Face GPT-2 files have none or a copy.
    private void CheckTiedUnembedding(IGpt2TensorSource source)
    {
        const string name = "lm_head.weight";
        if (!source.Contains(name)) return;
        var shape = source.GetShape(name);
        if (!shape.SequenceEqual(Layout.TokenEmbedding.FileShape)) throw Untied();
        var head = new float[TokenEmbedding.Length];
        source.Read(name, head);
        if (!head.AsSpan().SequenceEqual(TokenEmbedding)) throw Untied();

        InvalidDataException Untied() => new($"{source.Description}: '{name}' differs from wte.weight; only tied GPT-2 unembeddings are supported.");
    }

    /// <summary><c>destination[c, r] = source[r, c]</c> for a <c>[rows, columns]</c> source, in cache-sized tiles.</summary>
    internal static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        const int tile = 32;
        for (int rowStart = 0; rowStart < rows; rowStart += tile)
        {
            int rowEnd = Math.Min(rows, rowStart + tile);
            for (int columnStart = 0; columnStart < columns; columnStart += tile)
            {
                int columnEnd = Math.Min(columns, columnStart + tile);
                for (int r = rowStart; r < rowEnd; r++)
                {
                    for (int c = columnStart; c < columnEnd; c++) destination[c * rows + r] = source[r * columns + c];
                }
            }
        }
    }
}

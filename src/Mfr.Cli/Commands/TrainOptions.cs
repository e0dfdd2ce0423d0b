using System.CommandLine;
using Mfr.Data;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic;
using Mfr.Training;

namespace Mfr.Cli.Commands;

/// <summary>The flags that describe a training run, shared by `train`, `bench` and the experiments, and their mapping to a <see cref="RunSpecification"/>.</summary>
internal sealed class TrainOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "'synthetic' (built-in benchmark) or an .npy/.safetensors file of vectors [n, d].", DefaultValueFactory = _ => "synthetic" };
    public Option<string?> HeldOut { get; } = new("--held-out") { Description = "Array file of held-out vectors for the final evaluation (file data only)." };
    public Option<string?> Tensor { get; } = new("--tensor") { Description = "Tensor to read from a .safetensors file holding several (data and held-out file)." };
    public Option<int> Latents { get; } = new("--latents") { Description = "Latents per SAE (h).", DefaultValueFactory = _ => 512 };
    public Option<int[]> K { get; } = new("--k") { Description = "Active latents; one SAE per value (e.g. --k 6 12 18).", DefaultValueFactory = _ => [32], AllowMultipleArgumentsPerToken = true };
    public Option<int> Count { get; } = new("--count") { Description = "SAEs per k value.", DefaultValueFactory = _ => 2 };
    public Option<string> Activation { get; } = new("--activation") { Description = "topk (no ReLU, as the paper's code) or topk-relu.", DefaultValueFactory = _ => "topk" };
    public Option<bool> DecoderBias { get; } = new("--decoder-bias") { Description = "Learn a pre-encoder/decoder bias b_dec (extension)." };
    public Option<long> Samples { get; } = new("--samples") { Description = "Training samples.", DefaultValueFactory = _ => 2_000_000 };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Vectors per step.", DefaultValueFactory = _ => 10_000 };
    public Option<float> LearningRate { get; } = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 0.01f };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adamw (paper text) or adam (published code).", DefaultValueFactory = _ => "adamw" };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of the SAEs' initialisations (and of the synthetic data unless --data-seed).", DefaultValueFactory = _ => 0UL };
    public Option<ulong?> DataSeed { get; } = new("--data-seed") { Description = "Seed of the synthetic data / file shuffling (default: --seed)." };
    public Option<int> InputDim { get; } = new("--input-dim") { Description = "Synthetic data: d.", DefaultValueFactory = _ => 256 };
    public Option<int> Features { get; } = new("--features") { Description = "Synthetic data: true features n.", DefaultValueFactory = _ => 512 };
    public Option<int> ActiveFeatures { get; } = new("--active-features") { Description = "Synthetic data: features active per sample s.", DefaultValueFactory = _ => 32 };
    public Option<int> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Checkpoint every this many steps (0: final only).", DefaultValueFactory = _ => 100 };
    public Option<string> Mode { get; } = new("--mode") { Description = "baseline, reinit, penalty or mfr.", DefaultValueFactory = _ => "baseline" };
    public Option<string> Beta { get; } = new("--beta") { Description = "MFR penalty scale: 'auto' or a number.", DefaultValueFactory = _ => "auto" };
    public Option<int> Warmup { get; } = new("--warmup") { Description = "MFR cosine warm-up steps T_w.", DefaultValueFactory = _ => 100 };
    public Option<double> ReinitThreshold { get; } = new("--reinit-threshold") { Description = "Re-initialisation threshold theta.", DefaultValueFactory = _ => 2.5 };
    public Option<long> ReinitWindow { get; } = new("--reinit-window") { Description = "Check re-initialisation during the first N steps (0: whole run).", DefaultValueFactory = _ => 100 };
    public Option<int> Refresh { get; } = new("--refresh") { Description = "Solve the MFR assignment every N steps (1: exact every step).", DefaultValueFactory = _ => 1 };
    public Option<int> EvalEvery { get; } = new("--eval-every") { Description = "Synthetic data: log each SAE's ground-truth MMCS and recovery every N steps, plus step 0 and the last (paper figure 8; 0: off).", DefaultValueFactory = _ => TrainingConfig.DefaultEvaluationEverySteps };

    public IEnumerable<Option> All => [Data, HeldOut, Tensor, Latents, K, Count, Activation, DecoderBias, Samples, BatchSize, LearningRate, Optimizer, Seed, DataSeed, InputDim, Features, ActiveFeatures, CheckpointEvery, Mode, Beta, Warmup, ReinitThreshold, ReinitWindow, Refresh, EvalEvery];

    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    public RunSpecification ToSpecification(ParseResult parse)
    {
        ulong seed = parse.GetValue(Seed);
        ulong dataSeed = parse.GetValue(DataSeed) ?? seed;
        string data = parse.GetValue(Data)!;
        DataSpecification dataSpecification = data == "synthetic"
            ? DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: parse.GetValue(InputDim), FeatureCount: parse.GetValue(Features), ActiveFeatures: parse.GetValue(ActiveFeatures), Seed: dataSeed))
            : new DataSpecification("file", Path: Path.GetFullPath(data), TensorName: parse.GetValue(Tensor), Seed: dataSeed, HeldOutPath: parse.GetValue(HeldOut) is string heldOut ? Path.GetFullPath(heldOut) : null);
        int inputDim = data == "synthetic" ? parse.GetValue(InputDim) : ProbeDimension(dataSpecification);
        var activation = ParseActivation(parse.GetValue(Activation)!);
        int count = parse.GetValue(Count);
        if (count < 1) throw new ArgumentException($"--count must be at least 1, got {count}.");
        var ks = parse.GetValue(K)!;
        var saes = ks.SelectMany(k => Enumerable.Repeat(new SaeConfig(inputDim, parse.GetValue(Latents), k, activation, parse.GetValue(DecoderBias)), count)).ToArray();
        var training = new TrainingConfig(parse.GetValue(Samples), parse.GetValue(BatchSize), parse.GetValue(LearningRate), ParseOptimizer(parse.GetValue(Optimizer)!),
            Seed: seed, CheckpointEverySteps: parse.GetValue(CheckpointEvery), EvaluationEverySteps: parse.GetValue(EvalEvery));
        var mfr = new MfrConfig(ParseMode(parse.GetValue(Mode)!), ParseBeta(parse.GetValue(Beta)!), parse.GetValue(Warmup),
            new ReinitializationConfig(parse.GetValue(ReinitThreshold), parse.GetValue(ReinitWindow)), parse.GetValue(Refresh));
        var specification = new RunSpecification(dataSpecification, saes, training, mfr);
        specification.Validate();
        return specification;
    }

    private static int ProbeDimension(DataSpecification specification)
    {
        using var source = DataSources.Open(specification);
        return source.Dimension;
    }

    public static SaeActivation ParseActivation(string text) => text.ToLowerInvariant() switch
    {
        "topk" => SaeActivation.TopK,
        "topk-relu" => SaeActivation.TopKRelu,
        _ => throw new ArgumentException($"--activation must be topk or topk-relu, got '{text}'."),
    };

    public static OptimizerKind ParseOptimizer(string text) => text.ToLowerInvariant() switch
    {
        "adamw" => OptimizerKind.AdamW,
        "adam" => OptimizerKind.Adam,
        _ => throw new ArgumentException($"--optimizer must be adamw or adam, got '{text}'."),
    };

    public static MfrMode ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "baseline" => MfrMode.Baseline,
        "reinit" => MfrMode.Reinit,
        "penalty" => MfrMode.Penalty,
        "mfr" => MfrMode.Mfr,
        "mean-max" => MfrMode.MeanMax,
        _ => throw new ArgumentException($"--mode must be baseline, reinit, penalty or mfr, got '{text}'."),
    };

    public static double? ParseBeta(string text)
    {
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double beta) && beta >= 0 && double.IsFinite(beta)) return beta;
        throw new ArgumentException($"--beta must be 'auto' or a non-negative number, got '{text}'.");
    }
}

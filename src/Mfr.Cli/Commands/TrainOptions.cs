using System.CommandLine;
using Mfr.Data;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Cli.Commands;

/// <summary>The flags of `mfr train` and their mapping onto a <see cref="TrainExperimentConfig"/> (defaults from <see cref="TrainExperimentConfig.Default"/>).</summary>
internal sealed class TrainOptions
{
    private static TrainExperimentConfig Defaults => TrainExperimentConfig.Default;

    public ConfigFileOptions<TrainExperimentConfig> File { get; } = new(Defaults);
    public Option<string> Data { get; } = new("--data") { Description = "'synthetic' (built-in benchmark), 'synthsaebench-scaled' or 'synthsaebench-16k' (SynthSAEBench presets), or an .npy/.safetensors file of vectors [n, d].", DefaultValueFactory = _ => Defaults.Data.Kind };
    public Option<string?> HeldOut { get; } = new("--held-out") { Description = "Array file of held-out vectors for the final evaluation (file data only)." };
    public Option<string?> Tensor { get; } = new("--tensor") { Description = "Tensor to read from a .safetensors file holding several (data and held-out file)." };
    public Option<int> Latents { get; } = new("--latents") { Description = "Latents per SAE (h).", DefaultValueFactory = _ => Defaults.Saes[0].LatentCount };
    public Option<int[]> K { get; } = new("--k") { Description = "Active latents; one SAE per value (e.g. --k 6 12 18).", DefaultValueFactory = _ => [Defaults.Saes[0].K], AllowMultipleArgumentsPerToken = true };
    public Option<int> Count { get; } = new("--count") { Description = "SAEs per k value.", DefaultValueFactory = _ => Defaults.Saes.Length };
    public Option<string> Activation { get; } = new("--activation") { Description = "topk (no ReLU, as the paper's code) or topk-relu.", DefaultValueFactory = _ => FlagValues.Name(Defaults.Saes[0].Activation) };
    public Option<bool> DecoderBias { get; } = new("--decoder-bias") { Description = "Learn a pre-encoder/decoder bias b_dec (extension)." };
    public Option<long> Samples { get; } = new("--samples") { Description = "Training samples.", DefaultValueFactory = _ => Defaults.Training.SampleCount };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Vectors per step.", DefaultValueFactory = _ => Defaults.Training.BatchSize };
    public Option<float> LearningRate { get; } = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => Defaults.Training.LearningRate };
    public Option<string> Optimizer { get; } = new("--optimizer") { Description = "adamw (paper text) or adam (published code).", DefaultValueFactory = _ => FlagValues.Name(Defaults.Training.Optimizer) };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Seed of the SAEs' initialisations (and of the synthetic data unless --data-seed).", DefaultValueFactory = _ => Defaults.Training.Seed };
    public Option<ulong?> DataSeed { get; } = new("--data-seed") { Description = "Seed of the synthetic data / file shuffling (default: --seed)." };
    public Option<int> InputDim { get; } = new("--input-dim") { Description = "Synthetic data: d.", DefaultValueFactory = _ => Defaults.Data.Synthetic!.InputDim };
    public Option<int> Features { get; } = new("--features") { Description = "Synthetic data: true features n.", DefaultValueFactory = _ => Defaults.Data.Synthetic!.FeatureCount };
    public Option<int> ActiveFeatures { get; } = new("--active-features") { Description = "Synthetic data: features active per sample s.", DefaultValueFactory = _ => Defaults.Data.Synthetic!.ActiveFeatures };
    public Option<int> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Checkpoint every this many steps (0: final only).", DefaultValueFactory = _ => Defaults.Training.CheckpointEverySteps };
    public Option<string> Mode { get; } = new("--mode") { Description = "baseline, reinit, penalty, mfr or mean-max.", DefaultValueFactory = _ => FlagValues.Name(Defaults.Regularization!.Mode) };
    public Option<string> Beta { get; } = new("--beta") { Description = "Penalty scale: 'auto' or a number (modes penalty, mfr and mean-max).", DefaultValueFactory = _ => FlagValues.Name(Defaults.Regularization!.Beta) };
    public Option<int> Warmup { get; } = new("--warmup") { Description = "Warm-up steps T_w (cosine for MFR, linear for mean-max).", DefaultValueFactory = _ => Defaults.Regularization!.WarmupSteps };
    public Option<double> ReinitThreshold { get; } = new("--reinit-threshold") { Description = "Re-initialisation threshold theta.", DefaultValueFactory = _ => Defaults.Regularization!.ReinitializationSettings.Threshold };
    public Option<long> ReinitWindow { get; } = new("--reinit-window") { Description = "Check re-initialisation during the first N steps (0: whole run).", DefaultValueFactory = _ => Defaults.Regularization!.ReinitializationSettings.WindowSteps };
    public Option<int> Refresh { get; } = new("--refresh") { Description = "Solve the MFR assignment every N steps (1: exact every step).", DefaultValueFactory = _ => Defaults.Regularization!.AssignmentRefreshSteps };
    public Option<int> EvalEvery { get; } = new("--eval-every") { Description = "Synthetic data: log each SAE's ground-truth MMCS and recovery every N steps, plus step 0 and the last (paper figure 8; 0: off).", DefaultValueFactory = _ => Defaults.Training.EvaluationEverySteps };
    public Option<string> Encoder { get; } = new("--encoder") { Description = "fp32 (default) or int8: 8-bit products select candidates, fp32 recomputes them; same latents (README, \"An int8 encoder\"). Not with AuxK.", DefaultValueFactory = _ => FlagValues.Name(Defaults.Training.EncoderPrecision) };
    public Option<int> EvalBatches { get; } = new("--eval-batches") { Description = "Held-out batches for the final evaluation.", DefaultValueFactory = _ => Defaults.EvaluationBatches };

    /// <summary>The flags that describe the run (everything recorded in run.json).</summary>
    public IEnumerable<Option> RunOptions => [Data, HeldOut, Tensor, Latents, K, Count, Activation, DecoderBias, Samples, BatchSize, LearningRate, Optimizer, Seed, DataSeed, InputDim, Features, ActiveFeatures,
        CheckpointEvery, Mode, Beta, Warmup, ReinitThreshold, ReinitWindow, Refresh, EvalEvery, Encoder];

    public void AddTo(Command command)
    {
        foreach (var option in RunOptions) command.Options.Add(option);
        command.Options.Add(EvalBatches);
        File.AddTo(command);
    }

    /// <summary>
    /// `train --resume RUN` continues the run as its run.json records it (issue 13, class 2): a larger --samples is applied
    /// (the one safe change; <see cref="TrainExperiment.Resume"/>) and said so, any other flag that would change the run is
    /// refused by name rather than silently ignored. Returns the sample budget to extend to, if any.
    /// </summary>
    public long? ChangesOnResume(ParseResult parse, string runDirectory, TextWriter error)
    {
        var given = RunOptions.Append(File.File).Where(option => option != Samples && parse.Given(option)).Select(option => option.Name).ToArray();
        if (given.Length > 0)
            throw new ArgumentException($"--resume continues {runDirectory} as its run.json records it; {string.Join(", ", given)} would change that run. " +
                $"To train with other settings, start a new run from it: mfr train --config {Path.Combine(runDirectory, "run.json")} {string.Join(" ", given)} ... --out NEW_FOLDER");
        if (!parse.Given(Samples)) return null;
        long samples = parse.GetValue(Samples), recorded = Mfr.Training.TrainingRun.ReadSpecification(runDirectory).Training.SampleCount;
        if (samples > recorded) error.WriteLine($"mfr train: --samples {samples:N0} extends {runDirectory} from {recorded:N0} samples: it trains on to the new budget (run.json updated).");
        return samples;
    }

    /// <summary>The config: the --config file (or the defaults) with the flags given on the command line applied.</summary>
    public TrainExperimentConfig ToConfig(ParseResult parse)
    {
        var file = File.Load(parse);
        var data = ToData(parse, file.Data);
        var training = file.Training with
        {
            SampleCount = parse.Or(Samples, file.Training.SampleCount),
            BatchSize = parse.Or(BatchSize, file.Training.BatchSize),
            LearningRate = parse.Or(LearningRate, file.Training.LearningRate),
            Optimizer = parse.Given(Optimizer) ? FlagValues.ParseOptimizer(parse.GetValue(Optimizer)!) : file.Training.Optimizer,
            Seed = parse.Or(Seed, file.Training.Seed),
            CheckpointEverySteps = parse.Or(CheckpointEvery, file.Training.CheckpointEverySteps),
            EvaluationEverySteps = parse.Or(EvalEvery, file.Training.EvaluationEverySteps),
            EncoderPrecision = parse.Given(Encoder) ? FlagValues.ParseEncoder(parse.GetValue(Encoder)!) : file.Training.EncoderPrecision,
        };
        var config = file with { Data = data, Saes = ToSaes(parse, file.Saes, data), Training = training, Regularization = ToRegularization(parse, file.Regularization), EvaluationBatches = parse.Or(EvalBatches, file.EvaluationBatches) };
        // One line each for flags that would otherwise be silently ignored (issue 13, class 2).
        if (parse.Given(Beta) && config.Regularization is not { CouplesSaes: true })
            throw new ArgumentException($"--beta scales the MFR penalty, which --mode {FlagValues.Name(config.Regularization?.Mode ?? MfrMode.Baseline)} does not use; drop --beta or use --mode mfr, penalty or mean-max.");
        if (parse.Given(HeldOut) && data.IsGenerated)
            throw new ArgumentException("--held-out applies to file data (--data FILE); synthetic runs are evaluated on fresh samples of their generator.");
        if (parse.Given(Tensor) && data.IsGenerated)
            throw new ArgumentException("--tensor names a tensor of a .safetensors file (--data FILE); synthetic data has none.");
        if (data.Kind != DataSpecification.SyntheticKind && new Option[] { InputDim, Features, ActiveFeatures }.FirstOrDefault(parse.Given) is { } synthetic)
            throw new ArgumentException(data.Kind == DataSpecification.SynthSaeBenchKind
                ? $"{synthetic.Name} describes the built-in synthetic data; SynthSAEBench is set by its preset or a --config file's data.synthSaeBench."
                : $"{synthetic.Name} describes synthetic data; the run reads {data.Path}.");
        return config;
    }

    private DataSpecification ToData(ParseResult parse, DataSpecification data)
    {
        if (parse.Given(Data))
        {
            string text = parse.GetValue(Data)!;
            data = text == DataSpecification.SyntheticKind ? DataSpecification.ForSynthetic(data.Synthetic ?? new())
                : SynthSaeBenchConfig.IsPresetName(text) ? DataSpecification.ForSynthSaeBench(SynthSaeBenchConfig.Preset(text))
                : new DataSpecification(DataSpecification.FileKind, Path: Path.GetFullPath(text), TensorName: data.TensorName, Seed: data.Seed, HeldOutPath: data.HeldOutPath);
        }
        ulong? dataSeed = parse.GetValue(DataSeed) ?? (parse.Given(Seed) ? parse.GetValue(Seed) : null);
        if (data.Kind == DataSpecification.SynthSaeBenchKind)
        {
            var benchmark = data.SynthSaeBenchOrDefault;
            return data with { SynthSaeBench = benchmark with { Seed = dataSeed ?? benchmark.Seed } };
        }
        if (data.Kind != DataSpecification.SyntheticKind)
            return data with
            {
                Seed = dataSeed ?? data.Seed,
                TensorName = parse.GetValue(Tensor) ?? data.TensorName,
                HeldOutPath = parse.GetValue(HeldOut) is string heldOut ? Path.GetFullPath(heldOut) : data.HeldOutPath,
            };
        var synthetic = data.Synthetic ?? new();
        return data with
        {
            HeldOutPath = parse.GetValue(HeldOut) ?? data.HeldOutPath,
            Synthetic = synthetic with { InputDim = parse.Or(InputDim, synthetic.InputDim), FeatureCount = parse.Or(Features, synthetic.FeatureCount), ActiveFeatures = parse.Or(ActiveFeatures, synthetic.ActiveFeatures), Seed = dataSeed ?? synthetic.Seed },
        };
    }

    private SaeConfig[] ToSaes(ParseResult parse, SaeConfig[] saes, DataSpecification data)
    {
        if (!new Option[] { Latents, K, Count, Activation, DecoderBias, Data, InputDim }.Any(parse.Given)) return saes;
        var template = saes is { Length: > 0 } ? saes[0] : Defaults.Saes[0];
        int[] ks = parse.Or(K, saes is { Length: > 0 } ? saes.Select(s => s.K).Distinct().ToArray() : [template.K]);
        int count = parse.Or(Count, saes is { Length: > 0 } ? Math.Max(1, saes.Length / saes.Select(s => s.K).Distinct().Count()) : Defaults.Saes.Length);
        if (count < 1) throw new ArgumentException($"--count must be at least 1, got {count}.");
        int inputDim = data.GeneratedDimension ?? ProbeDimension(data);
        var shape = template with
        {
            InputDim = inputDim,
            LatentCount = parse.Or(Latents, template.LatentCount),
            Activation = parse.Given(Activation) ? FlagValues.ParseActivation(parse.GetValue(Activation)!) : template.Activation,
            UseDecoderBias = parse.Or(DecoderBias, template.UseDecoderBias),
        };
        return ks.SelectMany(k => Enumerable.Repeat(shape with { K = k }, count)).ToArray();
    }

    private MfrConfig? ToRegularization(ParseResult parse, MfrConfig? mfr)
    {
        if (!new Option[] { Mode, Beta, Warmup, ReinitThreshold, ReinitWindow, Refresh }.Any(parse.Given)) return mfr;
        var current = mfr ?? new MfrConfig(MfrMode.Baseline);
        var reinit = current.ReinitializationSettings;
        return current with
        {
            Mode = parse.Given(Mode) ? FlagValues.ParseMode(parse.GetValue(Mode)!) : current.Mode,
            Beta = parse.Given(Beta) ? FlagValues.ParseBeta(parse.GetValue(Beta)!) : current.Beta,
            WarmupSteps = parse.Or(Warmup, current.WarmupSteps),
            AssignmentRefreshSteps = parse.Or(Refresh, current.AssignmentRefreshSteps),
            Reinitialization = reinit with { Threshold = parse.Or(ReinitThreshold, reinit.Threshold), WindowSteps = parse.Or(ReinitWindow, reinit.WindowSteps) },
        };
    }

    private static int ProbeDimension(DataSpecification specification)
    {
        using var source = DataSources.Open(specification);
        return source.Dimension;
    }
}

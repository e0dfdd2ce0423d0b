using System.CommandLine;
using System.Globalization;
using Mfr.Experiments;
using Mfr.Regularization;

namespace Mfr.Cli.Commands;

/// <summary>The flags of `mfr consistency` and their mapping onto a <see cref="ConsistencyExperimentConfig"/> (defaults from <see cref="ConsistencyExperimentConfig.Default"/>).</summary>
internal sealed class ConsistencyOptions
{
    private static ConsistencyExperimentConfig Defaults => ConsistencyExperimentConfig.Default;

    public ConfigFileOptions<ConsistencyExperimentConfig> File { get; } = new(Defaults);
    public Option<string> Benchmark { get; } = new("--benchmark") { Description = "SynthSAEBench world: synthsaebench-scaled (4,096 features, d 256) or synthsaebench-16k.", DefaultValueFactory = _ => Defaults.Benchmark! };
    public Option<FileInfo?> Data { get; } = new("--data") { Description = "Train on this array file (.npy/.safetensors [n, d], e.g. an EEG cache's train.npy) instead of a benchmark; no ground truth." };
    public Option<FileInfo?> HeldOut { get; } = new("--held-out") { Description = "Held-out array file for --data (e.g. the cache's heldout.npy)." };
    public Option<ulong> DataSeed { get; } = new("--data-seed") { Description = "Seed of the world (or of the file's shuffling), the same for every training seed.", DefaultValueFactory = _ => Defaults.DataSeed };
    public Option<long> Samples { get; } = new("--samples") { Description = "Training samples per SAE.", DefaultValueFactory = _ => Defaults.SampleCount };
    public Option<int> Latents { get; } = new("--latents") { Description = "Latents h per SAE.", DefaultValueFactory = _ => Defaults.LatentCount };
    public Option<int> K { get; } = new("--k") { Description = "Active latents k.", DefaultValueFactory = _ => Defaults.K };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Batch size.", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<float> LearningRate { get; } = new("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => Defaults.LearningRate };
    public Option<int> Saes { get; } = new("--saes") { Description = "SAEs per ensemble M (member m is compared across seeds).", DefaultValueFactory = _ => Defaults.SaesPerEnsemble };
    public Option<int> Seeds { get; } = new("--seeds") { Description = "Training seeds (at least 2).", DefaultValueFactory = _ => Defaults.Seeds };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "First training seed.", DefaultValueFactory = _ => Defaults.Seed };
    public Option<string[]> Variants { get; } = new("--variants")
    {
        Description = "What to train per seed: baseline, auxk, and mfr, penalty, mean-max (one per --betas value, or with their own beta: mfr:0.1), reinit; add +auxk to any (mfr:0.1+auxk).",
        DefaultValueFactory = _ => Defaults.VariantList.Select(Token).ToArray(),
        AllowMultipleArgumentsPerToken = true,
    };
    public Option<string[]> Betas { get; } = new("--betas") { Description = "Betas of the coupled --variants given without one: 'auto' and/or numbers.", DefaultValueFactory = _ => ["auto"], AllowMultipleArgumentsPerToken = true };
    public Option<int> Warmup { get; } = new("--warmup") { Description = "Warm-up steps of the couplings (cosine for MFR, linear for mean-max).", DefaultValueFactory = _ => Defaults.MfrTemplate.WarmupSteps };
    public Option<int> EvalEvery { get; } = new("--eval-every") { Description = "Log ground-truth recovery every N steps (the curve in the report; 0: off).", DefaultValueFactory = _ => Defaults.RecoveryEverySteps };
    public Option<int> EvalBatches { get; } = new("--eval-batches") { Description = "Held-out batches for MSE, FVU, L0 and dead latents.", DefaultValueFactory = _ => Defaults.EvaluationBatches };

    private Option[] Training => [Benchmark, Data, HeldOut, DataSeed, Samples, Latents, K, BatchSize, LearningRate, Saes, Seeds, Seed, Variants, Betas, Warmup, EvalEvery, EvalBatches, File.File, File.Print];

    public void AddTo(Command command)
    {
        foreach (var option in Training.Except([File.File, File.Print])) command.Options.Add(option);
        File.AddTo(command);
    }

    /// <summary>The first experiment flag given on the command line (they mean nothing to --runs), or null.</summary>
    public string? GivenExperimentFlag(ParseResult parse) => Training.FirstOrDefault(parse.Given)?.Name;

    /// <summary>The --config file (or the defaults) with the flags given on the command line applied.</summary>
    public ConsistencyExperimentConfig ToConfig(ParseResult parse)
    {
        var config = File.Load(parse);
        // Both given: one of them would be ignored without a word (the record documents --data as winning).
        if (parse.Given(Benchmark) && parse.Given(Data))
            throw new ArgumentException("--benchmark and --data both name the training data; give one (--data trains on the file, with no ground truth).");
        var mfr = config.MfrTemplate;
        var variants = config.Variants;
        if (parse.Given(Variants) || parse.Given(Betas))
        {
            var betas = parse.GetValue(Betas)!.Select(ParseBeta).ToArray();
            var tokens = parse.Given(Variants) ? parse.GetValue(Variants)! : ["baseline", "mfr", "mean-max", "auxk"];
            variants = tokens.SelectMany(token => ParseVariants(token, betas)).ToArray();
        }
        return config with
        {
            Benchmark = parse.Given(Benchmark) ? parse.GetValue(Benchmark) : config.Benchmark,
            DataPath = parse.GetValue(Data)?.FullName ?? config.DataPath,
            HeldOutPath = parse.GetValue(HeldOut)?.FullName ?? config.HeldOutPath,
            DataSeed = parse.Or(DataSeed, config.DataSeed),
            SampleCount = parse.Or(Samples, config.SampleCount),
            LatentCount = parse.Or(Latents, config.LatentCount),
            K = parse.Or(K, config.K),
            BatchSize = parse.Or(BatchSize, config.BatchSize),
            LearningRate = parse.Or(LearningRate, config.LearningRate),
            SaesPerEnsemble = parse.Or(Saes, config.SaesPerEnsemble),
            Seeds = parse.Or(Seeds, config.Seeds),
            Seed = parse.Or(Seed, config.Seed),
            Variants = variants,
            Mfr = mfr with { WarmupSteps = parse.Or(Warmup, mfr.WarmupSteps) },
            RecoveryEverySteps = parse.Or(EvalEvery, config.RecoveryEverySteps),
            EvaluationBatches = parse.Or(EvalBatches, config.EvaluationBatches),
        };
    }

    /// <summary>
    /// One --variants token: "baseline", "auxk", "reinit", or a coupled mode ("mfr", "penalty", "mean-max") with its own
    /// beta after a colon or else one variant per <paramref name="betas"/>; "+auxk" adds the AuxK loss (alpha 1/32).
    /// </summary>
    internal static IEnumerable<ConsistencyVariant> ParseVariants(string token, IReadOnlyList<double?> betas)
    {
        string text = token.Trim().ToLowerInvariant();
        double auxK = 0;
        if (text.EndsWith("+auxk", StringComparison.Ordinal))
        {
            auxK = ConsistencyVariant.GaoAuxKCoefficient;
            text = text[..^"+auxk".Length];
        }
        string[] parts = text.Split(':', 2);
        var mode = parts[0] switch
        {
            "baseline" => MfrMode.Baseline,
            "auxk" when auxK == 0 => MfrMode.Baseline,
            "reinit" => MfrMode.Reinit,
            "mfr" => MfrMode.Mfr,
            "penalty" => MfrMode.Penalty,
            "mean-max" => MfrMode.MeanMax,
            _ => throw new ArgumentException($"--variants: unknown variant '{token}'; use baseline, auxk, mfr, penalty, mean-max or reinit (mfr:0.1 for a beta, +auxk to add AuxK)."),
        };
        if (parts[0] == "auxk") auxK = ConsistencyVariant.GaoAuxKCoefficient;
        bool couples = new MfrConfig(mode).CouplesSaes;
        if (parts.Length == 2 && !couples) throw new ArgumentException($"--variants: '{token}' has a beta, but {parts[0]} has no penalty to scale.");
        if (!couples) return [new ConsistencyVariant(mode, null, auxK)];
        if (parts.Length == 2)
        {
            if (!TryParseBeta(parts[1], out var own)) throw new ArgumentException($"--variants: the beta of '{token}' must be 'auto' or a non-negative number.");
            return [new ConsistencyVariant(mode, own, auxK)];
        }
        return betas.Select(beta => new ConsistencyVariant(mode, beta, auxK)).ToArray();
    }

    /// <summary>The --variants token of <paramref name="variant"/> (its own beta spelt out).</summary>
    internal static string Token(ConsistencyVariant variant)
    {
        string mode = variant.Mode == MfrMode.Baseline ? (variant.AuxKCoefficient > 0 ? "auxk" : "baseline") : FlagValues.Name(variant.Mode);
        if (variant.Couples) mode += ":" + FlagValues.Name(variant.Beta);
        return variant.Mode != MfrMode.Baseline && variant.AuxKCoefficient > 0 ? mode + "+auxk" : mode;
    }

    private static double? ParseBeta(string text) =>
        TryParseBeta(text, out var beta) ? beta : throw new ArgumentException($"--betas must be 'auto' or non-negative numbers, got '{text}'.");

    private static bool TryParseBeta(string text, out double? beta)
    {
        beta = null;
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return true;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0 || !double.IsFinite(value)) return false;
        beta = value;
        return true;
    }
}

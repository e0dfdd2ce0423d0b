using System.Globalization;
using Mfr.Gpt2;
using Mfr.Regularization;
using Mfr.Sae;
using Mfr.Training;

namespace Mfr.Cli.Commands;

/// <summary>The text forms flags take (modes, beta, optimiser, activation, hook point) and their config values.</summary>
internal static class FlagValues
{
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

    public static EncoderPrecision ParseEncoder(string text) => text.ToLowerInvariant() switch
    {
        "fp32" => EncoderPrecision.Fp32,
        "int8" or "int8-select" => EncoderPrecision.Int8Select,
        _ => throw new ArgumentException($"--encoder must be fp32 or int8, got '{text}'."),
    };

    public static string Name(EncoderPrecision precision) => precision == EncoderPrecision.Int8Select ? "int8" : "fp32";

    public static string Name(OptimizerKind optimizer) => optimizer == OptimizerKind.Adam ? "adam" : "adamw";

    public static string Name(SaeActivation activation) => activation == SaeActivation.TopKRelu ? "topk-relu" : "topk";

    public static MfrMode ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "baseline" => MfrMode.Baseline,
        "reinit" => MfrMode.Reinit,
        "penalty" => MfrMode.Penalty,
        "mfr" => MfrMode.Mfr,
        "mean-max" => MfrMode.MeanMax,
        _ => throw new ArgumentException($"--mode must be baseline, reinit, penalty, mfr or mean-max, got '{text}'."),
    };

    public static string Name(MfrMode mode) => mode == MfrMode.MeanMax ? "mean-max" : mode.ToString().ToLowerInvariant();

    public static double? ParseBeta(string text)
    {
        if (text.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double beta) && beta >= 0 && double.IsFinite(beta)) return beta;
        throw new ArgumentException($"--beta must be 'auto' or a non-negative number, got '{text}'.");
    }

    public static string Name(double? beta) => beta?.ToString(CultureInfo.InvariantCulture) ?? "auto";

    public static Gpt2HookPoint ParseHook(string text) => text switch
    {
        "mlp_out" => Gpt2HookPoint.MlpOutput,
        "attn_out" => Gpt2HookPoint.AttentionOutput,
        "resid_post" => Gpt2HookPoint.ResidualAfterBlock,
        _ => throw new ArgumentException($"--hook must be mlp_out, attn_out or resid_post, got '{text}'."),
    };

    public static string Name(Gpt2HookPoint hook) => hook switch
    {
        Gpt2HookPoint.AttentionOutput => "attn_out",
        Gpt2HookPoint.ResidualAfterBlock => "resid_post",
        _ => "mlp_out",
    };

    /// <summary>--target-rate: a rate in Hz, or 0 / none to keep the files' rate (null).</summary>
    public static int? ParseTargetRate(string text)
    {
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase) || text == "0") return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int rate) && rate > 0) return rate;
        throw new ArgumentException($"--target-rate must be a rate in Hz, or 0 / none to keep the files' rate, got '{text}'.");
    }
}

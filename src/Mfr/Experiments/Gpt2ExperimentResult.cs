using Mfr.Gpt2;

namespace Mfr.Experiments;

/// <summary>What an activation extraction wrote, kept beside the .npy as FILE.npy.json.</summary>
/// <param name="Tokens">The token file.</param>
/// <param name="FirstToken">First token run.</param>
/// <param name="TokenCount">Activation rows written.</param>
/// <param name="ContextLength">Context length of the windows.</param>
/// <param name="Layer">Block read.</param>
/// <param name="Hook">Hook point read.</param>
/// <param name="Model">The model's configuration.</param>
/// <param name="Seconds">Wall time of the extraction.</param>
public sealed record Gpt2ActivationManifest(string Tokens, long FirstToken, long TokenCount, int ContextLength, int Layer, Gpt2HookPoint Hook, string Model, double Seconds);

/// <summary>Loss recovered (SPEC 4) of one ensemble's SAEs.</summary>
/// <param name="Ensemble">"baseline" or "mfr".</param>
/// <param name="Ks">k of each SAE, in ensemble order.</param>
/// <param name="Result">Clean, zero-ablated and spliced cross-entropies and the fractions recovered.</param>
public sealed record Gpt2LossRecovered(string Ensemble, int[] Ks, LossRecoveredResult Result);

/// <summary>The GPT-2 experiment's outcome (written as results.json, kind "gpt2").</summary>
/// <param name="Config">Settings.</param>
/// <param name="Split">Training and held-out tokens.</param>
/// <param name="Sweep">The k sweep on the activations.</param>
/// <param name="LossRecovered">Per ensemble (baseline, then MFR), loss recovered on the held-out tokens.</param>
public sealed record Gpt2ExperimentResult(Gpt2ExperimentConfig Config, TokenSplit Split, KSweepResult Sweep, IReadOnlyList<Gpt2LossRecovered> LossRecovered);

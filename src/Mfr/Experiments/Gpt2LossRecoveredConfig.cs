using Mfr.Gpt2;

namespace Mfr.Experiments;

/// <summary>
/// `mfr gpt2 loss-recovered`: mean next-token cross-entropy clean, with the hook point zero-ablated, and with each
/// saved SAE's reconstruction spliced in, and the fraction recovered (<see cref="LossRecovered"/>); the last stage of
/// the GPT-2 experiment (SPEC 4) run alone on SAEs trained elsewhere.
/// </summary>
public sealed record Gpt2LossRecoveredConfig
{
    /// <summary>Folder (or file) holding the Hugging Face model.safetensors (+ config.json) of GPT-2 (required; <c>--model</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Token ids (.u16.bin, GPT-2 BPE) (required; <c>--tokens</c>).</summary>
    public string? Tokens { get; init; }

    /// <summary>SAE folders in any layout <see cref="Checkpoints.SaeFiles.Load"/> reads: Mfr's, SAELens v6 (a run's final/sae-M), sparsify (required; <c>--sae</c>).</summary>
    public string[] Saes { get; init; } = [];

    /// <summary>Tokens to evaluate (the experiment's held-out budget, <see cref="Gpt2ExperimentConfig.HeldOutTokens"/>).</summary>
    public long TokenBudget { get; init; } = Gpt2ExperimentConfig.Default.HeldOutTokens;

    /// <summary>Where in the token file to start (0: its beginning; pass the training tokens' end to evaluate on held-out text).</summary>
    public long FirstToken { get; init; }

    /// <summary>Context length of each window (GPT-2's 1,024).</summary>
    public int ContextLength { get; init; } = 1024;

    /// <summary>Block whose hook point the SAEs reconstruct (SPEC 4: block 0).</summary>
    public int Layer { get; init; }

    /// <summary>Hook point in that block (SPEC 4: the MLP output).</summary>
    public Gpt2HookPoint Hook { get; init; } = Gpt2HookPoint.MlpOutput;

    /// <summary>`mfr gpt2 loss-recovered`'s defaults (model, tokens and SAEs still to be named).</summary>
    public static Gpt2LossRecoveredConfig Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> (or <see cref="FileNotFoundException"/>) with a one-line reason naming the flag and config key.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException(Gpt2ExperimentConfig.WhereToGetTheModel);
        if (string.IsNullOrWhiteSpace(Tokens)) throw new ArgumentException("--tokens FILE.u16.bin is required (tokens in a config file), e.g. shared/data/text/openwebtext_val_sample.gpt2.u16.bin.");
        if (!File.Exists(Tokens)) throw new FileNotFoundException($"Token file not found: {Tokens}", Tokens);
        if (Saes is null || Saes.Length == 0) throw new ArgumentException("--sae DIR is required (saes in a config file): the SAE folder(s) to splice in.");
        if (TokenBudget < 1) throw new ArgumentException($"--token-budget (tokenBudget) must be at least 1, got {TokenBudget}.");
        if (FirstToken < 0) throw new ArgumentException($"--first-token (firstToken) must be 0 or more, got {FirstToken}.");
        if (ContextLength < 2) throw new ArgumentException($"--context (contextLength) must be at least 2 tokens, got {ContextLength}.");
        if (Layer < 0) throw new ArgumentException($"--layer (layer) must be 0 or more, got {Layer}.");
    }
}

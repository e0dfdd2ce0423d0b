using Mfr.Gpt2;

namespace Mfr.Experiments;

/// <summary>
/// `mfr gpt2 activations`: one hook point's activations for the first tokens of a token file, written as
/// .npy <c>[tokens, n_embd]</c> plus a JSON manifest (<see cref="Gpt2Experiment.ExtractActivations"/>); the first
/// stage of the GPT-2 experiment (SPEC 4) run alone.
/// </summary>
public sealed record Gpt2ActivationsConfig
{
    /// <summary>Folder (or file) holding the Hugging Face model.safetensors (+ config.json) of GPT-2 (required; <c>--model</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Token ids (.u16.bin, GPT-2 BPE) (required; <c>--tokens</c>).</summary>
    public string? Tokens { get; init; }

    /// <summary>Block whose hook point is read (SPEC 4: block 0).</summary>
    public int Layer { get; init; }

    /// <summary>Hook point in that block (SPEC 4: the MLP output).</summary>
    public Gpt2HookPoint Hook { get; init; } = Gpt2HookPoint.MlpOutput;

    /// <summary>Tokens to run from the start of the file (100,000: a quick look; the experiment itself takes its sweep's sample budget).</summary>
    public long TokenBudget { get; init; } = 100_000;

    /// <summary>Context length of each window (GPT-2's 1,024).</summary>
    public int ContextLength { get; init; } = 1024;

    /// <summary>Activation file (.npy) to write; its manifest goes beside it (required; <c>--out</c>).</summary>
    public string? Output { get; init; }

    /// <summary>`mfr gpt2 activations`' defaults (model, tokens and output still to be named).</summary>
    public static Gpt2ActivationsConfig Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> (or <see cref="FileNotFoundException"/>) with a one-line reason naming the flag and config key.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException(Gpt2ExperimentConfig.WhereToGetTheModel);
        if (string.IsNullOrWhiteSpace(Tokens)) throw new ArgumentException("--tokens FILE.u16.bin is required (tokens in a config file), e.g. shared/data/text/openwebtext_val_sample.gpt2.u16.bin.");
        if (!File.Exists(Tokens)) throw new FileNotFoundException($"Token file not found: {Tokens}", Tokens);
        if (string.IsNullOrWhiteSpace(Output)) throw new ArgumentException("--out FILE.npy is required (output in a config file): the activation file to write.");
        if (Layer < 0) throw new ArgumentException($"--layer (layer) must be 0 or more, got {Layer}.");
        if (TokenBudget < 1) throw new ArgumentException($"--token-budget (tokenBudget) must be at least 1, got {TokenBudget}.");
        if (ContextLength < 2) throw new ArgumentException($"--context (contextLength) must be at least 2 tokens, got {ContextLength}.");
    }
}

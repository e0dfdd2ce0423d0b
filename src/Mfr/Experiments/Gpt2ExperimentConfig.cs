using Mfr.Gpt2;

namespace Mfr.Experiments;

/// <summary>
/// The paper's GPT-2 experiment (SPEC 4): activations of one hook point (default: the block-0 MLP output)
/// for the first tokens of a token file, the k sweep on them (h 3072, k 6-30, batch 500, lr 1e-3), then
/// loss recovered per SAE on the held-out tokens that follow.
/// </summary>
public sealed record Gpt2ExperimentConfig
{
    /// <summary>Why <see cref="Model"/> is required, and where to get it: the weights are not bundled.</summary>
    public const string WhereToGetTheModel =
        "--model DIR is required: GPT-2 weights are not bundled. Download model.safetensors and config.json of 'gpt2' from the Hugging Face hub " +
        "(https://huggingface.co/openai-community/gpt2) into a folder and pass it with --model DIR (model in a config file).";

    /// <summary>Folder (or file) holding the Hugging Face model.safetensors (+ config.json) of GPT-2 (required; <c>--model</c>).</summary>
    public string? Model { get; init; }

    /// <summary>Token ids (.u16.bin, GPT-2 BPE) (required; <c>--tokens</c>).</summary>
    public string? Tokens { get; init; }

    /// <summary>Context length of each window (GPT-2's 1,024).</summary>
    public int ContextLength { get; init; } = 1024;

    /// <summary>Block whose hook point is read, spliced and ablated (SPEC 4: block 0).</summary>
    public int Layer { get; init; }

    /// <summary>Hook point in that block (SPEC 4: the MLP output).</summary>
    public Gpt2HookPoint Hook { get; init; } = Gpt2HookPoint.MlpOutput;

    /// <summary>Tokens after the training tokens, for the held-out loss and loss recovered.</summary>
    public long HeldOutTokens { get; init; } = 20_480;

    /// <summary>
    /// The sweep: h 3072, k 6 12 18 24 30, batch 500, assignment every 25 steps, 2,000,000 samples per SAE
    /// (also the training tokens wanted: the SAEs take their budget in epochs over a shorter file).
    /// </summary>
    public KSweepSettings Sweep { get; init; } = KSweepSettings.RealData(3072, [6, 12, 18, 24, 30], 500, 2_000_000, 25);

    /// <summary>`mfr gpt2`'s defaults (model and tokens still to be named).</summary>
    public static Gpt2ExperimentConfig Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> (or <see cref="FileNotFoundException"/>) with a one-line reason.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException(WhereToGetTheModel);
        if (string.IsNullOrWhiteSpace(Tokens)) throw new ArgumentException("--tokens FILE.u16.bin is required (tokens in a config file), e.g. shared/data/text/openwebtext_val_sample.gpt2.u16.bin.");
        if (!File.Exists(Tokens)) throw new FileNotFoundException($"Token file not found: {Tokens}", Tokens);
        if (ContextLength < 2) throw new ArgumentException($"--context (contextLength) must be at least 2 tokens, got {ContextLength}.");
        if (Layer < 0) throw new ArgumentException($"--layer (layer) must be 0 or more, got {Layer}.");
        if (Sweep is null) throw new ArgumentException("A GPT-2 config's 'sweep' may not be null.");
        Sweep.Validate();
    }
}

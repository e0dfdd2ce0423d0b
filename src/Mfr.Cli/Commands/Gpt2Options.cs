using System.CommandLine;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>The flags of `mfr gpt2` and their mapping onto a <see cref="Gpt2ExperimentConfig"/> (defaults from <see cref="Gpt2ExperimentConfig.Default"/>).</summary>
internal sealed class Gpt2Options
{
    private static Gpt2ExperimentConfig Defaults => Gpt2ExperimentConfig.Default;

    public ConfigFileOptions<Gpt2ExperimentConfig> File { get; } = new(Defaults);
    public Option<DirectoryInfo?> Model { get; } = new("--model") { Description = "Folder (or file) with the Hugging Face model.safetensors (+ config.json) of GPT-2 (required: the weights are not bundled)." };
    public Option<FileInfo?> Tokens { get; } = new("--tokens") { Description = "Token ids (.u16.bin, GPT-2 BPE), e.g. shared/data/text/openwebtext_val_sample.gpt2.u16.bin." };
    public Option<int> ContextLength { get; } = new("--context") { Description = "Context length of each window.", DefaultValueFactory = _ => Defaults.ContextLength };
    public Option<int> Layer { get; } = new("--layer") { Description = "Block whose hook point is read, spliced and ablated.", DefaultValueFactory = _ => Defaults.Layer };
    public Option<string> Hook { get; } = new("--hook") { Description = "Hook point in that block: mlp_out, attn_out or resid_post.", DefaultValueFactory = _ => FlagValues.Name(Defaults.Hook) };
    public Option<long> HeldOutTokens { get; } = new("--held-out-tokens") { Description = "Tokens after the training tokens used for the held-out loss and loss recovered.", DefaultValueFactory = _ => Defaults.HeldOutTokens };
    public SweepOptions Sweep { get; } = new(Defaults.Sweep);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, Tokens, ContextLength, Layer, Hook, HeldOutTokens }) command.Options.Add(option);
        Sweep.AddTo(command);
        File.AddTo(command);
    }

    /// <summary>The --config file (or the defaults) with the flags given on the command line applied.</summary>
    public Gpt2ExperimentConfig ToConfig(ParseResult parse)
    {
        var config = File.Load(parse);
        return config with
        {
            Model = parse.GetValue(Model)?.FullName ?? config.Model,
            Tokens = parse.GetValue(Tokens)?.FullName ?? config.Tokens,
            ContextLength = parse.Or(ContextLength, config.ContextLength),
            Layer = parse.Or(Layer, config.Layer),
            Hook = parse.Given(Hook) ? FlagValues.ParseHook(parse.GetValue(Hook)!) : config.Hook,
            HeldOutTokens = parse.Or(HeldOutTokens, config.HeldOutTokens),
            Sweep = Sweep.Apply(parse, config.Sweep),
        };
    }
}

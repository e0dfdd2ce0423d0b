using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>
/// `mfr gpt2`: the paper's GPT-2 experiment (SPEC 4, <see cref="Gpt2Experiment"/>): a hook point's activations (default: block-0 MLP
/// output), the k sweep on them, then loss recovered per SAE. Subcommands `activations` and `loss-recovered` run those stages alone.
/// </summary>
internal static class Gpt2Command
{
    public static Command Create(CommandContext context)
    {
        var defaults = Gpt2ExperimentConfig.Default;
        var file = new ConfigFileOptions<Gpt2ExperimentConfig>(defaults);
        var model = new Option<DirectoryInfo?>("--model") { Description = "Folder (or file) with the Hugging Face model.safetensors (+ config.json) of GPT-2 (required: the weights are not bundled)." };
        var tokens = new Option<FileInfo?>("--tokens") { Description = "Token ids (.u16.bin, GPT-2 BPE), e.g. shared/data/text/openwebtext_val_sample.gpt2.u16.bin." };
        var contextLength = new Option<int>("--context") { Description = "Context length of each window.", DefaultValueFactory = _ => defaults.ContextLength };
        var layer = new Option<int>("--layer") { Description = "Block whose hook point is read, spliced and ablated.", DefaultValueFactory = _ => defaults.Layer };
        var hook = new Option<string>("--hook") { Description = "Hook point in that block: mlp_out, attn_out or resid_post.", DefaultValueFactory = _ => FlagValues.Name(defaults.Hook) };
        var heldOutTokens = new Option<long>("--held-out-tokens") { Description = "Tokens after the training tokens used for the held-out loss and loss recovered.", DefaultValueFactory = _ => defaults.HeldOutTokens };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: runs/gpt2-<time>; an existing one is resumed)." };
        var sweep = new SweepOptions(defaults.Sweep);
        var command = new Command("gpt2", "The paper's GPT-2 experiment: a hook point's activations (block-0 MLP output), baseline vs MFR SAEs per k, loss recovered.");
        foreach (var option in new Option[] { model, tokens, contextLength, layer, hook, heldOutTokens, output }) command.Options.Add(option);
        sweep.AddTo(command);
        file.AddTo(command);
        command.SetAction(parse =>
        {
            var config = file.Load(parse);
            config = config with
            {
                Model = parse.GetValue(model)?.FullName ?? config.Model, Tokens = parse.GetValue(tokens)?.FullName ?? config.Tokens, ContextLength = parse.Or(contextLength, config.ContextLength),
                Layer = parse.Or(layer, config.Layer), Hook = parse.Given(hook) ? FlagValues.ParseHook(parse.GetValue(hook)!) : config.Hook,
                HeldOutTokens = parse.Or(heldOutTokens, config.HeldOutTokens), Sweep = sweep.Apply(parse, config.Sweep),
            };
            if (file.Printed(parse, config, context.Output)) return 0;
            config.Validate();
            string folder = parse.GetValue(output)?.FullName ?? ExperimentFolder.DefaultPath("gpt2");
            var progress = ProgressSinks.For(context, "mfr gpt2");
            var result = SweepCommand.Run(context, "gpt2", folder, config.Sweep, runs => Gpt2Experiment.Run(config, folder, progress with { Runs = runs }, context.Cancellation), gpt2 => gpt2.Sweep);
            if (result is null) return ExperimentRunner.InterruptedExitCode;
            foreach (var loss in result.LossRecovered) context.Output.Write(LossRecoveredTables.Render(loss));
            return 0;
        });
        command.Subcommands.Add(Gpt2ActivationsCommand.Create(context));
        command.Subcommands.Add(Gpt2LossRecoveredCommand.Create(context));
        return command;
    }
}

using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Gpt2;

namespace Mfr.Cli.Commands;

/// <summary>`mfr gpt2 activations`: one hook point's activations for a token file, as .npy plus a manifest (<see cref="Gpt2Experiment.ExtractActivations"/>).</summary>
internal static class Gpt2ActivationsCommand
{
    public static Command Create(CommandContext context)
    {
        var defaults = Gpt2ExperimentConfig.Default;
        var model = new Option<DirectoryInfo>("--model") { Description = "GPT-2 model folder.", Required = true };
        var tokens = new Option<FileInfo>("--tokens") { Description = "Token ids (.u16.bin).", Required = true };
        var layer = new Option<int>("--layer") { Description = "Block.", DefaultValueFactory = _ => defaults.Layer };
        var hook = new Option<string>("--hook") { Description = "mlp_out, attn_out or resid_post.", DefaultValueFactory = _ => FlagValues.Name(defaults.Hook) };
        var budget = new Option<long>("--token-budget") { Description = "Tokens to run.", DefaultValueFactory = _ => 100_000 };
        var contextLength = new Option<int>("--context") { Description = "Context length.", DefaultValueFactory = _ => defaults.ContextLength };
        var output = new Option<FileInfo>("--out") { Description = "Activation file (.npy) to write.", Required = true };
        var command = new Command("activations", "Write a hook point's activations for a token file as .npy [tokens, n_embd] (+ a JSON manifest).");
        foreach (var option in new Option[] { model, tokens, layer, hook, budget, contextLength, output }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var point = FlagValues.ParseHook(parse.GetValue(hook)!);
            using var weights = Gpt2Weights.Load(parse.GetValue(model)!.FullName);
            if (weights.ConfigNote is string note) context.Error.WriteLine($"mfr gpt2 activations: {note}");
            var tokenFile = TokenFile.Open(Gpt2LossRecoveredCommand.Existing(parse.GetValue(tokens)));
            Gpt2Experiment.ExtractActivations(new Gpt2Model(weights), tokenFile, 0, parse.GetValue(budget), parse.GetValue(contextLength), parse.GetValue(layer), point,
                parse.GetValue(output)!.FullName, ProgressSinks.For(context, "mfr gpt2"), context.Cancellation);
            return 0;
        });
        return command;
    }
}

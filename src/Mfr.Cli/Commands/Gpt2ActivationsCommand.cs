using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Gpt2;

namespace Mfr.Cli.Commands;

/// <summary>`mfr gpt2 activations`: one hook point's activations for a token file, as .npy plus a manifest (<see cref="Gpt2Experiment.ExtractActivations"/>); settings in <see cref="Gpt2ActivationsConfig"/>.</summary>
internal static class Gpt2ActivationsCommand
{
    public static Command Create(CommandContext context)
    {
        var defaults = Gpt2ActivationsConfig.Default;
        var file = new ConfigFileOptions<Gpt2ActivationsConfig>(defaults);
        var model = new Option<DirectoryInfo?>("--model") { Description = "GPT-2 model folder (required: the weights are not bundled)." };
        var tokens = new Option<FileInfo?>("--tokens") { Description = "Token ids (.u16.bin) (required)." };
        var layer = new Option<int>("--layer") { Description = "Block.", DefaultValueFactory = _ => defaults.Layer };
        var hook = new Option<string>("--hook") { Description = "mlp_out, attn_out or resid_post.", DefaultValueFactory = _ => FlagValues.Name(defaults.Hook) };
        var budget = new Option<long>("--token-budget") { Description = "Tokens to run.", DefaultValueFactory = _ => defaults.TokenBudget };
        var contextLength = new Option<int>("--context") { Description = "Context length.", DefaultValueFactory = _ => defaults.ContextLength };
        var output = new Option<FileInfo?>("--out") { Description = "Activation file (.npy) to write (required)." };
        var command = new Command("activations", "Write a hook point's activations for a token file as .npy [tokens, n_embd] (+ a JSON manifest).");
        foreach (var option in new Option[] { model, tokens, layer, hook, budget, contextLength, output }) command.Options.Add(option);
        file.AddTo(command);
        command.SetAction(parse =>
        {
            var config = file.Load(parse);
            config = config with
            {
                Model = parse.GetValue(model)?.FullName ?? config.Model,
                Tokens = parse.GetValue(tokens)?.FullName ?? config.Tokens,
                Layer = parse.Or(layer, config.Layer),
                Hook = parse.Given(hook) ? FlagValues.ParseHook(parse.GetValue(hook)!) : config.Hook,
                TokenBudget = parse.Or(budget, config.TokenBudget),
                ContextLength = parse.Or(contextLength, config.ContextLength),
                Output = parse.GetValue(output)?.FullName ?? config.Output,
            };
            if (file.Printed(parse, config, context.Output)) return 0;
            config.Validate();
            using var weights = Gpt2Weights.Load(config.Model!);
            if (weights.ConfigNote is string note) context.Error.WriteLine($"mfr gpt2 activations: {note}");
            var tokenFile = TokenFile.Open(config.Tokens!);
            Gpt2Experiment.ExtractActivations(new Gpt2Model(weights), tokenFile, 0, config.TokenBudget, config.ContextLength, config.Layer, config.Hook,
                config.Output!, ProgressSinks.For(context, "mfr gpt2"), context.Cancellation);
            return 0;
        });
        return command;
    }
}

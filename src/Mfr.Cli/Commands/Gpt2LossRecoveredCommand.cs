using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Gpt2;

namespace Mfr.Cli.Commands;

/// <summary>`mfr gpt2 loss-recovered`: mean next-token CE clean, with the hook point zeroed, and with each SAE's reconstruction spliced in (<see cref="LossRecovered"/>).</summary>
internal static class Gpt2LossRecoveredCommand
{
    public static Command Create(CommandContext context)
    {
        var defaults = Gpt2ExperimentConfig.Default;
        var model = new Option<DirectoryInfo>("--model") { Description = "GPT-2 model folder.", Required = true };
        var tokens = new Option<FileInfo>("--tokens") { Description = "Token ids (.u16.bin).", Required = true };
        var saes = new Option<DirectoryInfo[]>("--sae") { Description = "SAE folders (cfg.json + sae.safetensors).", Required = true, AllowMultipleArgumentsPerToken = true };
        var budget = new Option<long>("--token-budget") { Description = "Tokens to evaluate.", DefaultValueFactory = _ => defaults.HeldOutTokens };
        var first = new Option<long>("--first-token") { Description = "Where in the token file to start.", DefaultValueFactory = _ => 0 };
        var contextLength = new Option<int>("--context") { Description = "Context length.", DefaultValueFactory = _ => defaults.ContextLength };
        var layer = new Option<int>("--layer") { Description = "Block whose hook point the SAEs reconstruct.", DefaultValueFactory = _ => defaults.Layer };
        var hook = new Option<string>("--hook") { Description = "mlp_out, attn_out or resid_post.", DefaultValueFactory = _ => FlagValues.Name(defaults.Hook) };
        var command = new Command("loss-recovered", "Mean next-token CE clean, with the hook point (default: block-0 MLP output) zeroed, and with each SAE's reconstruction spliced in; and the fraction recovered.");
        foreach (var option in new Option[] { model, tokens, saes, budget, first, contextLength, layer, hook }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var point = FlagValues.ParseHook(parse.GetValue(hook)!);
            using var weights = Gpt2Weights.Load(parse.GetValue(model)!.FullName);
            if (weights.ConfigNote is string note) context.Error.WriteLine($"mfr gpt2 loss-recovered: {note}");
            var tokenFile = TokenFile.Open(Existing(parse.GetValue(tokens)));
            var loaded = parse.GetValue(saes)!.Select(folder => Checkpoints.SaeFiles.Load(folder.FullName)).ToList();
            try
            {
                var result = LossRecovered.Measure(new Gpt2Model(weights), tokenFile.Tokens, parse.GetValue(first), parse.GetValue(budget), parse.GetValue(contextLength), loaded,
                    parse.GetValue(layer), point, context.Cancellation);
                context.Output.Write(LossRecoveredTables.Render(loaded.Select(s => s.Config.K).ToArray(), result));
            }
            finally
            {
                foreach (var sae in loaded) sae.Dispose();
            }
            return 0;
        });
        return command;
    }

    internal static string Existing(FileInfo? tokens) =>
        tokens is { Exists: true } ? tokens.FullName : throw new FileNotFoundException($"Token file not found: {tokens?.FullName ?? "(none given: pass --tokens FILE.u16.bin)"}");
}

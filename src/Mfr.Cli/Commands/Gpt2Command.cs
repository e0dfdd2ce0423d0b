using System.CommandLine;
using System.Globalization;
using Mfr.Checkpoints;
using Mfr.Cli.Rendering;
using Mfr.Data;
using Mfr.Gpt2;
using Mfr.IO;

namespace Mfr.Cli.Commands;

/// <summary>
/// `mfr gpt2`: GPT-2 Small block-0 MLP activations and the paper's GPT-2 experiment (SPEC 4).
/// Subcommands: `activations` (write an activation file), `loss-recovered` (CE clean / zero-ablated /
/// SAE spliced). Without a subcommand it runs the experiment: activations, the k sweep (h 3072,
/// k 6-30, batch 500, lr 1e-3), then loss recovered per SAE.
/// </summary>
internal static class Gpt2Command
{
    private const string WhereToGetTheModel =
        "GPT-2 weights are not bundled. Download model.safetensors and config.json of 'gpt2' from the Hugging Face hub " +
        "(https://huggingface.co/openai-community/gpt2) into a folder and pass it with --model DIR.";

    public static Command Create(CommandContext context)
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "Folder (or file) with the Hugging Face model.safetensors (+ config.json) of GPT-2." };
        var tokens = new Option<FileInfo?>("--tokens") { Description = "Token ids (.u16.bin, GPT-2 BPE), e.g. shared/data/text/openwebtext_val_sample.gpt2.u16.bin." };
        var context1 = new Option<int>("--context") { Description = "Context length of each window.", DefaultValueFactory = _ => 1024 };
        var layer = new Option<int>("--layer") { Description = "Block whose hook is read.", DefaultValueFactory = _ => 0 };
        var hook = new Option<string>("--hook") { Description = "mlp_out, attn_out or resid_post.", DefaultValueFactory = _ => "mlp_out" };
        var sweep = new SweepCommand.SweepOptions(latents: 3072, ks: [6, 12, 18, 24, 30], batchSize: 500, lr: 1e-3f, samples: 2_000_000, refresh: 25);
        var heldOutTokens = new Option<long>("--held-out-tokens") { Description = "Tokens after the training tokens used for the held-out loss and loss recovered.", DefaultValueFactory = _ => 20_480 };
        var command = new Command("gpt2", "The paper's GPT-2 experiment: block-0 MLP activations, baseline vs MFR SAEs per k, loss recovered.");
        foreach (var option in new Option[] { model, tokens, context1, heldOutTokens }) command.Options.Add(option);
        sweep.AddTo(command);
        command.SetAction(parse =>
        {
            if (parse.GetValue(model) is not DirectoryInfo modelFolder)
            {
                context.Output.WriteLine(WhereToGetTheModel);
                return 0;
            }
            var tokenFile = TokenFile.Open(RequireTokens(parse.GetValue(tokens)));
            using var weights = Gpt2Weights.Load(modelFolder.FullName);
            var gpt2 = new Gpt2Model(weights);
            int contextLength = parse.GetValue(context1);
            long trainTokens = parse.GetValue(sweep.Samples), heldOut = parse.GetValue(heldOutTokens);
            string output = parse.GetValue(sweep.Output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", "gpt2-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            Directory.CreateDirectory(Path.Combine(output, "data"));
            string trainPath = Path.Combine(output, "data", "train.npy"), heldOutPath = Path.Combine(output, "data", "heldout.npy");
            var split = TokenSplit.For(tokenFile.Tokens.Length, trainTokens, heldOut);
            if (split.TrainingTokens < trainTokens)
                context.Error.WriteLine($"mfr gpt2: {tokenFile.Path} holds {tokenFile.Tokens.Length:N0} tokens: activations of the first {split.TrainingTokens:N0} for training " +
                    $"(the SAEs take their {trainTokens:N0} samples in epochs over them), the next {split.HeldOutTokens:N0} held out.");
            if (!File.Exists(trainPath)) Extract(context, gpt2, tokenFile, 0, split.TrainingTokens, contextLength, 0, Gpt2HookPoint.MlpOutput, trainPath);
            if (!File.Exists(heldOutPath)) Extract(context, gpt2, tokenFile, split.HeldOutFirst, split.HeldOutTokens, contextLength, 0, Gpt2HookPoint.MlpOutput, heldOutPath);
            int code = SweepCommand.Execute(context, sweep.ToConfig(parse, new DataSpecification("file", Path: trainPath, HeldOutPath: heldOutPath)), new DirectoryInfo(output), "gpt2");
            if (code != 0) return code;
            foreach (string run in new[] { "baseline", "mfr" })
            {
                var saes = Directory.GetDirectories(Path.Combine(output, run, "final"), "sae-*").Order(StringComparer.Ordinal).Select(SaeFiles.Load).ToList();
                try
                {
                    var result = LossRecovered.Measure(gpt2, tokenFile.Tokens, split.HeldOutFirst, split.HeldOutTokens, contextLength, saes, cancellation: context.Cancellation);
                    context.Output.WriteLine($"\nLoss recovered, {run} ({result.Predictions:N0} predictions): clean CE {result.CleanCrossEntropy:F4}, zero-ablated CE {result.ZeroAblatedCrossEntropy:F4}");
                    context.Output.Write(LossTable(saes.Select(s => s.Config.K).ToArray(), result));
                }
                finally
                {
                    foreach (var sae in saes) sae.Dispose();
                }
            }
            return 0;
        });
        command.Subcommands.Add(ActivationsCommand(context));
        command.Subcommands.Add(LossRecoveredCommand(context));
        return command;
    }

    private static string RequireTokens(FileInfo? tokens) =>
        tokens is { Exists: true } ? tokens.FullName : throw new FileNotFoundException($"Token file not found: {tokens?.FullName ?? "(none given: pass --tokens FILE.u16.bin)"}");

    private static Gpt2HookPoint ParseHook(string text) => text switch
    {
        "mlp_out" => Gpt2HookPoint.MlpOutput,
        "attn_out" => Gpt2HookPoint.AttentionOutput,
        "resid_post" => Gpt2HookPoint.ResidualAfterBlock,
        _ => throw new ArgumentException($"--hook must be mlp_out, attn_out or resid_post, got '{text}'."),
    };

    private static void Extract(CommandContext context, Gpt2Model model, TokenFile tokens, long first, long budget, int contextLength, int layer, Gpt2HookPoint point, string path)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var progress = new Progress<long>(done => context.Error.Write($"\ractivations {done:N0}/{budget:N0} tokens, {done / Math.Max(1e-9, clock.Elapsed.TotalSeconds):N0} tokens/s   "));
        var file = ActivationExtraction.Extract(model, tokens.Tokens, first, budget, contextLength, layer, point, path, progress, context.Cancellation);
        context.Error.WriteLine();
        AtomicFile.WriteAllText(path + ".json", System.Text.Json.JsonSerializer.Serialize(new
        {
            tokens = tokens.Path, first_token = first, token_count = file.TokenCount, context = contextLength, layer, hook = point.ToString(),
            model = model.Config.ToString(), seconds = clock.Elapsed.TotalSeconds,
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        context.Error.WriteLine($"mfr gpt2: wrote {file.TokenCount:N0} x {file.Dimension} activations to {path} in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static Command ActivationsCommand(CommandContext context)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "GPT-2 model folder.", Required = true };
        var tokens = new Option<FileInfo>("--tokens") { Description = "Token ids (.u16.bin).", Required = true };
        var layer = new Option<int>("--layer") { Description = "Block.", DefaultValueFactory = _ => 0 };
        var hook = new Option<string>("--hook") { Description = "mlp_out, attn_out or resid_post.", DefaultValueFactory = _ => "mlp_out" };
        var budget = new Option<long>("--token-budget") { Description = "Tokens to run.", DefaultValueFactory = _ => 100_000 };
        var contextLength = new Option<int>("--context") { Description = "Context length.", DefaultValueFactory = _ => 1024 };
        var output = new Option<FileInfo>("--out") { Description = "Activation file (.npy) to write.", Required = true };
        var command = new Command("activations", "Write a hook point's activations for a token file as .npy [tokens, n_embd] (+ a JSON manifest).");
        foreach (var option in new Option[] { model, tokens, layer, hook, budget, contextLength, output }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            using var weights = Gpt2Weights.Load(parse.GetValue(model)!.FullName);
            var tokenFile = TokenFile.Open(RequireTokens(parse.GetValue(tokens)));
            Extract(context, new Gpt2Model(weights), tokenFile, 0, parse.GetValue(budget), parse.GetValue(contextLength), parse.GetValue(layer), ParseHook(parse.GetValue(hook)!), parse.GetValue(output)!.FullName);
            return 0;
        });
        return command;
    }

    private static Command LossRecoveredCommand(CommandContext context)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "GPT-2 model folder.", Required = true };
        var tokens = new Option<FileInfo>("--tokens") { Description = "Token ids (.u16.bin).", Required = true };
        var saes = new Option<DirectoryInfo[]>("--sae") { Description = "SAE folders (cfg.json + sae.safetensors).", Required = true, AllowMultipleArgumentsPerToken = true };
        var budget = new Option<long>("--token-budget") { Description = "Tokens to evaluate.", DefaultValueFactory = _ => 20_480 };
        var first = new Option<long>("--first-token") { Description = "Where in the token file to start.", DefaultValueFactory = _ => 0 };
        var contextLength = new Option<int>("--context") { Description = "Context length.", DefaultValueFactory = _ => 1024 };
        var command = new Command("loss-recovered", "Mean next-token CE clean, with block-0 MLP output zeroed, and with each SAE's reconstruction spliced in; and the fraction recovered.");
        foreach (var option in new Option[] { model, tokens, saes, budget, first, contextLength }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            using var weights = Gpt2Weights.Load(parse.GetValue(model)!.FullName);
            var tokenFile = TokenFile.Open(RequireTokens(parse.GetValue(tokens)));
            var loaded = parse.GetValue(saes)!.Select(folder => SaeFiles.Load(folder.FullName)).ToList();
            try
            {
                var result = LossRecovered.Measure(new Gpt2Model(weights), tokenFile.Tokens, parse.GetValue(first), parse.GetValue(budget), parse.GetValue(contextLength), loaded, cancellation: context.Cancellation);
                context.Output.WriteLine($"{result.Predictions:N0} predictions: clean CE {result.CleanCrossEntropy:F4}, zero-ablated CE {result.ZeroAblatedCrossEntropy:F4}");
                context.Output.Write(LossTable(loaded.Select(s => s.Config.K).ToArray(), result));
            }
            finally
            {
                foreach (var sae in loaded) sae.Dispose();
            }
            return 0;
        });
        return command;
    }

    private static string LossTable(int[] ks, LossRecoveredResult result)
    {
        var table = new TextTable("SAE", "k", "CE spliced", "loss recovered");
        for (int m = 0; m < ks.Length; m++)
            table.AddRow($"sae-{m}", ks[m].ToString(CultureInfo.InvariantCulture), result.SplicedCrossEntropy[m].ToString("F4", CultureInfo.InvariantCulture), result.Fraction[m].ToString("F4", CultureInfo.InvariantCulture));
        return table.ToString();
    }
}

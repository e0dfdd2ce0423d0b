using System.CommandLine;
using Mfr.Interop;

namespace Mfr.Cli.Commands;

/// <summary>`mfr export RUN_OR_SAE_FOLDER --format saelens|sparsify --out DIR`: writes SAEs that SAELens v6 or EleutherAI sparsify load unchanged (issue 15).</summary>
internal static class ExportCommand
{
    public static Command Create(CommandContext context)
    {
        var source = new Argument<DirectoryInfo>("RUN_OR_SAE_FOLDER") { Description = "A run folder (its final SAEs, evaluation and held-out data) or one SAE folder." };
        var format = new Option<string>("--format") { Description = "saelens (SAELens v6: cfg.json, sae_weights.safetensors, sparsity.safetensors) or sparsify (cfg.json, sae.safetensors).", Required = true };
        format.AcceptOnlyFromAmong("saelens", "sparsify");
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write (a run's SAE m goes to sae-m/).", Required = true };
        var command = new Command("export", "Export SAEs in SAELens v6 or sparsify layout.") { source };
        command.Options.Add(format);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var layout = parse.GetValue(format) == "saelens" ? SaeLayout.SaeLens : SaeLayout.Sparsify;
            foreach (var result in SaeExport.Export(parse.GetValue(source)!.FullName, layout, parse.GetValue(output)!.FullName))
                context.Output.WriteLine($"{result.Directory}: {result.Check.Describe()}");
            return 0;
        });
        return command;
    }
}

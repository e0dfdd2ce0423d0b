using System.CommandLine;
using System.Text.Json;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Training;

namespace Mfr.Cli.Commands;

/// <summary>`mfr compare SAE_A SAE_B`: MMCS, shared@tau and the matched-cosine histogram between two SAEs of any layout (<see cref="CompareExperiment"/>).</summary>
internal static class CompareCommand
{
    public static Command Create(CommandContext context)
    {
        var file = new ConfigFileOptions<CompareExperimentConfig>(CompareExperimentConfig.Default);
        var saeA = new Argument<DirectoryInfo?>("SAE_A") { Description = "First SAE folder (Mfr, SAELens v6 or sparsify; tied or untied).", Arity = ArgumentArity.ZeroOrOne };
        var saeB = new Argument<DirectoryInfo?>("SAE_B") { Description = "Second SAE folder, same d_in (its latent count may differ).", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Write the result as JSON instead of text." };
        var command = new Command("compare", "Compare two SAEs' decoders: MMCS, shared@0.5/0.7/0.9, matched-cosine histogram.") { saeA, saeB };
        command.Options.Add(json);
        file.AddTo(command);
        command.SetAction(parse =>
        {
            var config = file.Load(parse);
            config = config with
            {
                SaeA = parse.GetValue(saeA)?.FullName ?? config.SaeA,
                SaeB = parse.GetValue(saeB)?.FullName ?? config.SaeB,
            };
            if (file.Printed(parse, config, context.Output)) return 0;
            var result = CompareExperiment.Run(config);
            context.Output.Write(parse.GetValue(json) ? JsonSerializer.Serialize(result, MetricLog.JsonOptions) + "\n" : CompareTables.Render(result));
            return 0;
        });
        return command;
    }
}

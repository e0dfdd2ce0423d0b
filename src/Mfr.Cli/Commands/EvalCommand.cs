using System.CommandLine;
using System.Text.Json;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Training;

namespace Mfr.Cli.Commands;

/// <summary>`mfr eval`: loads saved SAEs (Mfr, SAELens or sparsify folders, tied or untied) and measures them on a data source (<see cref="EvalExperiment"/>).</summary>
internal static class EvalCommand
{
    public static Command Create(CommandContext context)
    {
        var defaults = EvalExperimentConfig.Default;
        var file = new ConfigFileOptions<EvalExperimentConfig>(defaults);
        var saes = new Option<DirectoryInfo[]>("--sae") { Description = "SAE folder(s): Mfr, SAELens v6 or sparsify layout, tied or untied (required).", AllowMultipleArgumentsPerToken = true };
        var data = new Option<string>("--data") { Description = "'synthetic', 'synthsaebench-scaled' or 'synthsaebench-16k', a run folder (its recorded data), or an .npy/.safetensors file of vectors.", DefaultValueFactory = _ => defaults.Data };
        var tensor = new Option<string?>("--tensor") { Description = "Tensor to read from a .safetensors file holding several." };
        var dataSeed = new Option<ulong>("--data-seed") { Description = "Seed of the synthetic data (use the training run's to share its features).", DefaultValueFactory = _ => defaults.Synthetic.Seed };
        var features = new Option<int>("--features") { Description = "Synthetic data: true features n.", DefaultValueFactory = _ => defaults.Synthetic.FeatureCount };
        var activeFeatures = new Option<int>("--active-features") { Description = "Synthetic data: features active per sample s.", DefaultValueFactory = _ => defaults.Synthetic.ActiveFeatures };
        var batches = new Option<int>("--batches") { Description = "Batches to evaluate (a file is read at most once).", DefaultValueFactory = _ => defaults.Batches };
        var batchSize = new Option<int>("--batch-size") { Description = "Vectors per batch.", DefaultValueFactory = _ => defaults.BatchSize };
        // Issue 15 item 7: the result as one JSON object (camelCase, full precision, per-SAE records) for pandas, like `mfr compare --json`.
        var json = new Option<bool>("--json") { Description = "Write the result as JSON (full precision, one record per SAE) instead of the table." };
        var command = new Command("eval", "Evaluate saved SAEs: MSE, FVU, L0, dead latents.");
        foreach (var option in new Option[] { saes, data, tensor, dataSeed, features, activeFeatures, batches, batchSize, json }) command.Options.Add(option);
        file.AddTo(command);
        command.SetAction(parse =>
        {
            var config = file.Load(parse);
            config = config with
            {
                Saes = parse.Given(saes) ? parse.GetValue(saes)!.Select(folder => folder.FullName).ToArray() : config.Saes,
                Data = parse.Or(data, config.Data),
                TensorName = parse.GetValue(tensor) ?? config.TensorName,
                Batches = parse.Or(batches, config.Batches),
                BatchSize = parse.Or(batchSize, config.BatchSize),
                Synthetic = config.Synthetic with { Seed = parse.Or(dataSeed, config.Synthetic.Seed), FeatureCount = parse.Or(features, config.Synthetic.FeatureCount), ActiveFeatures = parse.Or(activeFeatures, config.Synthetic.ActiveFeatures) },
            };
            if (file.Printed(parse, config, context.Output)) return 0;
            var result = EvalExperiment.Run(config);
            context.Output.Write(parse.GetValue(json) ? JsonSerializer.Serialize(result, MetricLog.JsonOptions) + "\n" : MetricsTables.Eval(result));
            return 0;
        });
        return command;
    }
}

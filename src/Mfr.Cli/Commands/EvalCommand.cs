using System.CommandLine;
using System.Globalization;
using Mfr.Checkpoints;
using Mfr.Cli.Rendering;
using Mfr.Data;
using Mfr.Evaluation;
using Mfr.Synthetic;

namespace Mfr.Cli.Commands;

/// <summary>`mfr eval`: loads saved SAEs (cfg.json + sae.safetensors folders) and measures them on a data source.</summary>
internal static class EvalCommand
{
    public static Command Create(CommandContext context)
    {
        var saes = new Option<DirectoryInfo[]>("--sae") { Description = "SAE folder(s) holding cfg.json and sae.safetensors.", Required = true, AllowMultipleArgumentsPerToken = true };
        var data = new Option<string>("--data") { Description = "'synthetic' or an .npy/.safetensors file of vectors.", DefaultValueFactory = _ => "synthetic" };
        var tensor = new Option<string?>("--tensor") { Description = "Tensor to read from a .safetensors file holding several." };
        var dataSeed = new Option<ulong>("--data-seed") { Description = "Seed of the synthetic data (use the training run's to share its features).", DefaultValueFactory = _ => 0UL };
        var features = new Option<int>("--features") { Description = "Synthetic data: true features n.", DefaultValueFactory = _ => 512 };
        var activeFeatures = new Option<int>("--active-features") { Description = "Synthetic data: features active per sample s.", DefaultValueFactory = _ => 32 };
        var batches = new Option<int>("--batches") { Description = "Batches to evaluate.", DefaultValueFactory = _ => 5 };
        var batchSize = new Option<int>("--batch-size") { Description = "Vectors per batch.", DefaultValueFactory = _ => 10_000 };
        var command = new Command("eval", "Evaluate saved SAEs: MSE, FVU, L0, dead latents.");
        foreach (var option in new Option[] { saes, data, tensor, dataSeed, features, activeFeatures, batches, batchSize }) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var loaded = parse.GetValue(saes)!.Select(folder => SaeFiles.Load(folder.FullName)).ToList();
            try
            {
                string dataText = parse.GetValue(data)!;
                var specification = dataText == "synthetic"
                    ? DataSpecification.ForSynthetic(new SyntheticDataConfig(InputDim: loaded[0].Config.InputDim, FeatureCount: parse.GetValue(features), ActiveFeatures: parse.GetValue(activeFeatures), Seed: parse.GetValue(dataSeed)))
                    : new DataSpecification("file", Path: Path.GetFullPath(dataText), TensorName: parse.GetValue(tensor));
                var (source, firstBatch) = HeldOutData.Open(specification);
                using (source)
                {
                    var metrics = SaeEvaluator.Evaluate(loaded, source, firstBatch, parse.GetValue(batches), parse.GetValue(batchSize));
                    var table = new TextTable("SAE", "k", "h", "MSE", "FVU", "L0", "dead");
                    var folders = parse.GetValue(saes)!;
                    for (int m = 0; m < metrics.Count; m++)
                        table.AddRow(folders[m].Name, loaded[m].Config.K.ToString(CultureInfo.InvariantCulture), loaded[m].Config.LatentCount.ToString(CultureInfo.InvariantCulture),
                            TrainCommand.Format(metrics[m].Mse), TrainCommand.Format(metrics[m].Fvu), metrics[m].L0.ToString("F2", CultureInfo.InvariantCulture), metrics[m].DeadLatents.ToString(CultureInfo.InvariantCulture));
                    context.Output.WriteLine($"Data: {source.Description}, {metrics[0].Samples} samples");
                    context.Output.Write(table.ToString());
                }
            }
            finally
            {
                foreach (var sae in loaded) sae.Dispose();
            }
            return 0;
        });
        return command;
    }
}

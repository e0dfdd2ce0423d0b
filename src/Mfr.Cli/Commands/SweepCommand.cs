using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>`mfr sweep`: baseline vs MFR SAEs for a list of k on one array file (<see cref="KSweep"/>).</summary>
internal static class SweepCommand
{
    public static Command Create(CommandContext context)
    {
        var file = new ConfigFileOptions<KSweepConfig>(KSweepConfig.Default);
        var data = new Option<FileInfo?>("--data") { Description = "Training vectors (.npy or .safetensors, [n, d]); required unless --config names them." };
        var heldOut = new Option<FileInfo?>("--held-out") { Description = "Held-out vectors for the reported loss (default: the training file, read in order)." };
        var tensor = new Option<string?>("--tensor") { Description = "Tensor to read from a .safetensors file holding several." };
        var options = new SweepOptions(KSweepSettings.Default);
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: runs/sweep-<time>; an existing one is resumed)." };
        var command = new Command("sweep", "Train baseline and MFR SAEs for a list of k and compare held-out loss per k (the shape of the paper's tables 1-3).");
        foreach (var option in new Option[] { data, heldOut, tensor, output }) command.Options.Add(option);
        options.AddTo(command);
        file.AddTo(command);
        command.SetAction(parse =>
        {
            var config = file.Load(parse);
            var settings = options.Apply(parse, config.Settings());
            var specification = config.Data with
            {
                Kind = parse.Given(data) ? "file" : config.Data.Kind,
                Path = parse.GetValue(data)?.FullName ?? config.Data.Path,
                TensorName = parse.GetValue(tensor) ?? config.Data.TensorName,
                HeldOutPath = parse.GetValue(heldOut)?.FullName ?? config.Data.HeldOutPath,
                Seed = parse.Or(options.Seed, config.Data.Seed),
            };
            config = settings.For(specification);
            if (file.Printed(parse, config, context.Output)) return 0;
            string folder = parse.GetValue(output)?.FullName ?? ExperimentFolder.DefaultPath("sweep");
            var result = ExperimentRunner.RunSweep(context, "sweep", folder, settings, progress => KSweep.Run(config, folder, progress, context.Cancellation), sweep => sweep);
            return result is null ? ExperimentRunner.InterruptedExitCode : 0;
        });
        return command;
    }
}

using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Cli.Commands;

/// <summary>`mfr bench`: times training steps at a given shape and shows where the time goes (<see cref="BenchExperiment"/>).</summary>
internal static class BenchCommand
{
    public static Command Create(CommandContext context)
    {
        var defaults = BenchConfig.Default;
        var file = new ConfigFileOptions<BenchConfig>(defaults);
        var batchSize = new Option<int>("--batch-size") { Description = "B.", DefaultValueFactory = _ => defaults.BatchSize };
        var data = new Option<string>("--data") { Description = "synthetic, synthsaebench-scaled or synthsaebench-16k (d from the preset; the data phase then shows the generator's share of a step).", DefaultValueFactory = _ => defaults.Data };
        var inputDim = new Option<int>("--input-dim") { Description = "d (synthetic data).", DefaultValueFactory = _ => defaults.InputDim };
        var latents = new Option<int>("--latents") { Description = "h.", DefaultValueFactory = _ => defaults.LatentCount };
        var k = new Option<int[]>("--k") { Description = "k per SAE (one SAE per value).", DefaultValueFactory = _ => defaults.Ks, AllowMultipleArgumentsPerToken = true };
        var mode = new Option<string>("--mode") { Description = "baseline, mfr (penalty on, assignment every --refresh steps), mean-max, or reinit (conditional re-initialisation, no penalty).", DefaultValueFactory = _ => FlagValues.Name(defaults.Mode) };
        var refresh = new Option<int>("--refresh") { Description = "MFR assignment refresh interval.", DefaultValueFactory = _ => defaults.RefreshSteps };
        var steps = new Option<int>("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => defaults.Steps };
        var threads = new Option<int?>("--threads") { Description = "Kernel threads (default: all cores)." };
        var encoder = new Option<string>("--encoder") { Description = "fp32 (default) or int8: time the opt-in int8-select encoder (README \"An int8 encoder\"); the Encoder phase is then its whole path.", DefaultValueFactory = _ => FlagValues.Name(defaults.Encoder) };
        var scalingRounds = new Option<int>("--scaling-rounds") { Description = "N > 0: time the steps in N rounds at 1, 2, 4, ... threads up to --threads (default all cores) and print each count's speed-up beside the machine's own FMA speed-up in the same round.", DefaultValueFactory = _ => defaults.ScalingRounds };
        var command = new Command("bench", "Time training steps (median, split by phase, encoder GFLOP/s). Default: the paper's synthetic shape, one SAE.");
        foreach (var option in new Option[] { data, batchSize, inputDim, latents, k, mode, refresh, steps, threads, encoder, scalingRounds }) command.Options.Add(option);
        file.AddTo(command);
        command.SetAction(parse =>
        {
            var config = file.Load(parse);
            string dataName = parse.Or(data, config.Data);
            int presetWidth = SynthSaeBenchConfig.IsPresetName(dataName) ? SynthSaeBenchConfig.Preset(dataName).InputDim : config.InputDim;
            config = config with
            {
                Data = dataName,
                InputDim = parse.Or(inputDim, presetWidth),
                BatchSize = parse.Or(batchSize, config.BatchSize),
                LatentCount = parse.Or(latents, config.LatentCount),
                Ks = parse.Or(k, config.Ks),
                Mode = parse.Given(mode) ? FlagValues.ParseMode(parse.GetValue(mode)!) : config.Mode,
                RefreshSteps = parse.Or(refresh, config.RefreshSteps),
                Steps = parse.Or(steps, config.Steps),
                Threads = parse.Or(threads, config.Threads),
                Encoder = parse.Given(encoder) ? FlagValues.ParseEncoder(parse.GetValue(encoder)!) : config.Encoder,
                ScalingRounds = parse.Or(scalingRounds, config.ScalingRounds),
            };
            if (file.Printed(parse, config, context.Output)) return 0;
            config.Validate();
            context.Error.WriteLine($"mfr bench: {config.Data}, {config.Ks.Length} SAE(s), B={config.BatchSize} d={config.InputDim} h={config.LatentCount} k={string.Join(",", config.Ks)}, mode {config.Mode}, encoder {FlagValues.Name(config.Encoder)}, {config.Threads ?? Numerics.Parallelism.MaxThreads} thread(s)...");
            if (config.ScalingRounds > 0)
            {
                var scaling = BenchExperiment.RunThreadScaling(config, (round, threads, median) =>
                    context.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  round {round}, {threads} thread(s): median step {median:F2} ms")),
                    context.Cancellation);
                foreach (string line in Numerics.KernelRegistry.Describe()) context.Output.WriteLine(line);
                context.Output.Write(BenchTables.RenderScaling(scaling));
                return 0;
            }
            var result = BenchExperiment.Run(config, context.Cancellation);
            // Which kernel each family dispatched to: a step time means little without it.
            foreach (string line in Numerics.KernelRegistry.Describe()) context.Output.WriteLine(line);
            context.Output.Write(BenchTables.Render(result));
            return 0;
        });
        return command;
    }
}

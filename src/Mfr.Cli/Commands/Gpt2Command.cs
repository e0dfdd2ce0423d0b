using System.CommandLine;
using Mfr.Cli.Rendering;
using Mfr.Experiments;

namespace Mfr.Cli.Commands;

/// <summary>
/// `mfr gpt2`: the paper's GPT-2 experiment (SPEC 4, <see cref="Gpt2Experiment"/>): a hook point's activations (default: block-0 MLP
/// output), the k sweep on them, then loss recovered per SAE. Subcommands `activations` and `loss-recovered` run those stages alone.
/// </summary>
internal static class Gpt2Command
{
    public static Command Create(CommandContext context)
    {
        var options = new Gpt2Options();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: runs/gpt2-<time>; an existing one is resumed)." };
        var command = new Command("gpt2", "The paper's GPT-2 experiment: a hook point's activations (block-0 MLP output), baseline vs MFR SAEs per k, loss recovered.");
        options.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var config = options.ToConfig(parse);
            if (options.File.Printed(parse, config, context.Output)) return 0;
            config.Validate();
            string folder = parse.GetValue(output)?.FullName ?? ExperimentFolder.DefaultPath("gpt2");
            var progress = ProgressSinks.For(context, "mfr gpt2");
            var result = ExperimentRunner.RunSweep(context, "gpt2", folder, config.Sweep, runs => Gpt2Experiment.Run(config, folder, progress with { Runs = runs }, context.Cancellation), gpt2 => gpt2.Sweep);
            if (result is null) return ExperimentRunner.InterruptedExitCode;
            foreach (var loss in result.LossRecovered) context.Output.Write(LossRecoveredTables.Render(loss));
            return 0;
        });
        command.Subcommands.Add(Gpt2ActivationsCommand.Create(context));
        command.Subcommands.Add(Gpt2LossRecoveredCommand.Create(context));
        return command;
    }
}

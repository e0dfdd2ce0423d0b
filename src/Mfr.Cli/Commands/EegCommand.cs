using System.CommandLine;
using Mfr.Data;
using Mfr.Eeg;

namespace Mfr.Cli.Commands;

/// <summary>
/// `mfr eeg`: the paper's EEG experiment (SPEC 5) on a folder of EDF files: preprocess once into a
/// cache (band-pass 0.5-45 Hz zero phase, optional resampling, 1-s segments, per-channel z-scores,
/// split by recording), then the k sweep with the paper's configuration (h 4096, k 12-60,
/// batch 1024, lr 1e-3) on a sample budget the user sets.
/// </summary>
internal static class EegCommand
{
    public static Command Create(CommandContext context)
    {
        var folder = new Option<DirectoryInfo>("--folder") { Description = "Folder of EDF/BDF recordings (searched recursively).", Required = true };
        var rate = new Option<int?>("--target-rate") { Description = "Resample to this rate in Hz (e.g. 250, as TUH); default: keep the files' rate.", DefaultValueFactory = _ => 250 };
        var heldOutFraction = new Option<double>("--held-out-fraction") { Description = "Share of recordings held out for the reported loss.", DefaultValueFactory = _ => 0.2 };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = "Where the prepared arrays go (default: OUT/data)." };
        // Default budget sized for about 15 minutes on 2 cores (SPEC 5's paper run is 3.5 M samples).
        var options = new SweepCommand.SweepOptions(latents: 4096, ks: [12, 24, 36, 48, 60], batchSize: 1024, lr: 1e-3f, samples: 100_000, refresh: 25);
        var command = new Command("eeg", "Prepare EDF recordings and run the paper's EEG sweep (baseline vs MFR per k on held-out recordings).");
        foreach (var option in new Option[] { folder, rate, heldOutFraction, cache }) command.Options.Add(option);
        options.AddTo(command);
        command.SetAction(parse =>
        {
            var source = parse.GetValue(folder)!;
            if (!source.Exists) throw new DirectoryNotFoundException($"EEG folder not found: {source.FullName}");
            string output = parse.GetValue(options.Output)?.FullName ?? Path.GetFullPath(Path.Combine("runs", "eeg-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture)));
            string cacheFolder = parse.GetValue(cache)?.FullName ?? Path.Combine(output, "data");
            var preprocessing = new EegPreprocessingConfig { TargetSamplingRateHz = parse.GetValue(rate), HeldOutFraction = parse.GetValue(heldOutFraction), SplitSeed = parse.GetValue(options.Seed) };
            // A terminal gets one redrawn line; a log file gets a line per tenth of the files, not 48 joined by carriage returns.
            var progress = new Progress<EegPreparationProgress>(p =>
            {
                if (context.Interactive) context.Error.Write($"\rpreparing {p.FilesDone}/{p.FileCount} files, {p.SegmentCount} segments   ");
                else if (p.FilesDone == p.FileCount || p.FilesDone % Math.Max(1, p.FileCount / 10) == 0) context.Error.WriteLine($"preparing {p.FilesDone}/{p.FileCount} files, {p.SegmentCount} segments");
            });
            var prepared = EegDatasetCache.Prepare(source.FullName, preprocessing, cacheFolder, progress, context.Cancellation);
            if (context.Interactive) context.Error.WriteLine();
            context.Error.WriteLine($"mfr eeg: {(prepared.Reused ? "reused" : "prepared")} {prepared.TrainPath} and {prepared.HeldOutPath}");
            foreach (var skipped in prepared.Manifest.SkippedFiles) context.Error.WriteLine($"mfr eeg: skipped {skipped.Name}: {skipped.Reason}");
            var data = new DataSpecification("file", Path: prepared.TrainPath, HeldOutPath: prepared.HeldOutPath);
            return SweepCommand.Execute(context, options.ToConfig(parse, data), new DirectoryInfo(output), "eeg");
        });
        return command;
    }
}

using System.Text.Json;
using Mfr.Checkpoints;
using Mfr.Data;
using Mfr.IO;

namespace Mfr.Training;

/// <summary>
/// A training run in a folder: run.json (the specification), metrics.jsonl (one line per step,
/// per re-initialisation and per periodic evaluation), checkpoints/ (resumable), final/ (the trained
/// SAEs). Interrupting through the cancellation token checkpoints the current step before returning,
/// so nothing is lost; <see cref="Resume"/> continues to the result an uninterrupted run reaches.
/// An optional <see cref="IPeriodicEvaluator"/> measures the ensemble at step 0, every
/// <see cref="TrainingConfig.EvaluationEverySteps"/> steps and at the end; pass the same one to
/// <see cref="Resume"/> so the resumed log continues its lines (those past the checkpoint are dropped and
/// written again, never twice).
/// <para>
/// What survives a crash (issue 13): the run holds its folder's <see cref="RunFolderLock"/> from start
/// or resume until the result is disposed, so a second writer is refused; on taking the folder it removes
/// temporary files an interrupted write left (<see cref="RunFolder"/>); it resumes from the checkpoint
/// <c>latest</c> names or, when that is lost, the newest complete one, and refuses to start again from
/// step 0 over a run that had checkpoints; the metrics log is only ever cut after the step resumed from.
/// What it did is in <see cref="TrainingRunResult.Notices"/>.
/// </para>
/// </summary>
public static class TrainingRun
{
    /// <summary>Name of the specification file in a run folder.</summary>
    public const string SpecificationFileName = "run.json";

    /// <summary>Name of the metrics log in a run folder.</summary>
    public const string MetricsFileName = "metrics.jsonl";

    /// <summary>
    /// Starts a new run in <paramref name="runDirectory"/>, which must not hold a run already. The run is checked
    /// against its data and this machine first (<see cref="RunPreflight"/>), and the folder is created only once that
    /// passed, so a bad setting or file leaves nothing behind that a second attempt would refuse.
    /// </summary>
    /// <exception cref="IOException">Another process is writing in <paramref name="runDirectory"/>.</exception>
    public static TrainingRunResult Start(RunSpecification specification, string runDirectory, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default,
        IPeriodicEvaluator? evaluator = null)
    {
        specification.Validate();
        RunPreflight.Check(specification);
        return Locked(runDirectory, folderLock => StartLocked(specification, runDirectory, folderLock, progress, cancellation, evaluator));
    }

    /// <summary>
    /// Continues the run in <paramref name="runDirectory"/> from its latest checkpoint, after the same check as <see cref="Start"/>
    /// (<see cref="RunPreflight"/>): a data or held-out file moved since, or a machine with less memory, fails before a step is spent.
    /// </summary>
    /// <exception cref="IOException">Another process is writing in <paramref name="runDirectory"/>.</exception>
    /// <exception cref="InvalidDataException">The run saved checkpoints but none is usable (it is not started again from step 0).</exception>
    public static TrainingRunResult Resume(string runDirectory, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default,
        IPeriodicEvaluator? evaluator = null)
    {
        var specification = ReadSpecification(runDirectory);
        RunPreflight.Check(specification);
        return Locked(runDirectory, folderLock => Execute(specification, runDirectory, folderLock, resume: true, progress, cancellation, evaluator));
    }

    /// <summary>
    /// Resumes the run in <paramref name="runDirectory"/> if it has one, else starts <paramref name="specification"/> there
    /// (experiments made of several runs continue where they stopped). A run folder made with other settings is refused,
    /// never resumed under the new ones: an experiment re-run with, say, more samples into the same folder would otherwise
    /// report the old runs as the new.
    /// </summary>
    /// <exception cref="ArgumentException">The folder holds a run whose run.json differs from <paramref name="specification"/>.</exception>
    /// <exception cref="IOException">Another process is writing in <paramref name="runDirectory"/>.</exception>
    public static TrainingRunResult StartOrResume(RunSpecification specification, string runDirectory, IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default,
        IPeriodicEvaluator? evaluator = null)
    {
        specification.Validate();
        RunPreflight.Check(specification);
        return Locked(runDirectory, folderLock =>
        {
            if (!File.Exists(Path.Combine(runDirectory, SpecificationFileName))) return StartLocked(specification, runDirectory, folderLock, progress, cancellation, evaluator);
            var differences = SpecificationDifferences.Between(ReadSpecification(runDirectory), specification, IndentedOptions);
            if (differences.Count > 0)
                throw new ArgumentException($"{runDirectory} holds a run made with other settings ({string.Join("; ", differences.Take(4))}{(differences.Count > 4 ? "; ..." : "")}). " +
                    "Choose another output folder, or delete that one to train it again.");
            return Execute(specification, runDirectory, folderLock, resume: true, progress, cancellation, evaluator);
        });
    }

    /// <summary>Takes the folder's lock for <paramref name="body"/>; the result owns it from then on (released on failure).</summary>
    private static TrainingRunResult Locked(string runDirectory, Func<RunFolderLock, TrainingRunResult> body)
    {
        var folderLock = RunFolderLock.Acquire(runDirectory);
        try
        {
            return body(folderLock);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    private static TrainingRunResult StartLocked(RunSpecification specification, string runDirectory, RunFolderLock folderLock, IProgress<TrainingProgress>? progress, CancellationToken cancellation,
        IPeriodicEvaluator? evaluator)
    {
        // Checked under the lock: two starts into one new folder both pass an unlocked check.
        if (File.Exists(Path.Combine(runDirectory, SpecificationFileName)) || File.Exists(Path.Combine(runDirectory, MetricsFileName)))
            throw new ArgumentException($"{runDirectory} already holds a run; resume it or choose another output folder.");
        AtomicFile.WriteAllText(Path.Combine(runDirectory, SpecificationFileName), JsonSerializer.Serialize(specification, IndentedOptions) + "\n");
        return Execute(specification, runDirectory, folderLock, resume: false, progress, cancellation, evaluator);
    }

    /// <summary>Reads run.json of a run folder.</summary>
    /// <exception cref="FileNotFoundException">The folder has no run.json.</exception>
    /// <exception cref="InvalidDataException">run.json is not JSON, lacks a member (data, saes, training) or holds an invalid setting; the message names the file and the field.</exception>
    public static RunSpecification ReadSpecification(string runDirectory)
    {
        string path = Path.Combine(runDirectory, SpecificationFileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{runDirectory} is not a run folder (no {SpecificationFileName}).", path);
        // run.json `{}` must be "missing field 'data'", not a NullReferenceException in Validate (issue 13, class 6).
        var specification = JsonFile.Read<RunSpecification>(path, MetricLog.StrictReadOptions);
        try
        {
            specification.Validate();
        }
        catch (ArgumentException exception)
        {
            // A file that was edited or damaged, not a flag: name the file.
            throw new InvalidDataException($"{path}: {exception.Message}", exception);
        }
        return specification;
    }

    private static JsonSerializerOptions IndentedOptions { get; } = new(MetricLog.JsonOptions) { WriteIndented = true };


    private static TrainingRunResult Execute(RunSpecification specification, string runDirectory, RunFolderLock folderLock, bool resume, IProgress<TrainingProgress>? progress,
        CancellationToken cancellation, IPeriodicEvaluator? evaluator)
    {
        var notices = new List<string>();
        if (RunFolder.Describe(runDirectory, RunFolder.RemoveTemporaryFiles(runDirectory)) is string removed) notices.Add(removed);
        var source = DataSources.Open(specification.Data);
        Trainer? trainer = null;
        // Under mpirun the other ranks train their share of the SAEs with this process (issue 17); null in one process.
        var distribution = Distributed.DistributedWorker.BeginTraining(specification);
        try
        {
            var mfr = specification.Regularization;
            trainer = new Trainer(specification.Training, specification.Saes, source,
                Regularization.MfrRegularizers.CreatePenalty(mfr, specification.Saes),
                mfr is { UsesReinitialization: true } ? mfr.ReinitializationSettings : null, distribution);
            if (resume) ResumeFromCheckpoint(trainer, specification.Training, runDirectory, notices);
            distribution?.ShareState(trainer);
            var provenance = new Dictionary<string, string> { ["data"] = source.Description, ["run_seed"] = specification.Training.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            bool completed = Loop(trainer, specification.Training, runDirectory, provenance, progress, cancellation, evaluator, notices);
            Distributed.DistributedWorker.EndTraining(distribution);
            if (completed) Interop.FinalSaes.Save(trainer, runDirectory, specification.Data, provenance);
            return new TrainingRunResult(runDirectory, trainer, source, completed) { Notices = notices, FolderLock = folderLock };
        }
        catch (TrainingDivergedException diverged)
        {
            // The broken weights are dropped, never checkpointed or saved as final; the last good checkpoint stays.
            Distributed.DistributedWorker.TrainingDiverged(distribution);
            trainer?.Dispose();
            source.Dispose();
            string kept = TrainingCheckpoint.Locate(runDirectory).Folder is string checkpoint ? $"the last good checkpoint is kept in {checkpoint}" : "no checkpoint was written before it";
            throw new TrainingDivergedException(diverged.Step, diverged.SaeIndex, diverged.Reason, $"{kept}; try a smaller learning rate");
        }
        catch
        {
            trainer?.Dispose();
            source.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the checkpoint to resume from. A run that saved checkpoints but has none usable is refused rather than
    /// started again from step 0, which would discard its progress and its log (issue 13).
    /// </summary>
    private static void ResumeFromCheckpoint(Trainer trainer, TrainingConfig config, string runDirectory, List<string> notices)
    {
        var lookup = TrainingCheckpoint.Locate(runDirectory);
        if (lookup.Folder is null)
        {
            long logged = LastLoggedStep(Path.Combine(runDirectory, MetricsFileName));
            // The first checkpoint is saved before the step after it is trained, so a log past it proves one was committed.
            long firstCheckpoint = config.CheckpointEverySteps > 0 ? Math.Min(config.CheckpointEverySteps, config.StepCount) : config.StepCount;
            if (TrainingCheckpoint.WasEverSaved(runDirectory) || logged > firstCheckpoint)
                throw new InvalidDataException($"{runDirectory} has no usable checkpoint ({lookup.Problem ?? $"no {TrainingCheckpoint.FolderName} folder"}) " +
                    $"although its {MetricsFileName} reaches step {logged}; not starting it again from step 0. Move the folder aside to train afresh.");
            return;
        }
        if (lookup.Problem is not null) notices.Add(lookup.Problem + ".");
        // A checkpoint whose files were damaged after it was committed (a truncated copy, a disk error) falls back to the
        // older one kept beside it, saying so, rather than refusing the run: only the steps since that one are trained again.
        Exception? first = null;
        foreach (string folder in TrainingCheckpoint.CompleteCheckpoints(runDirectory).Where(f => f != lookup.Folder).Prepend(lookup.Folder))
        {
            try
            {
                TrainingCheckpoint.Load(trainer, folder);
            }
            catch (Exception error) when (error is InvalidDataException or FileNotFoundException or DirectoryNotFoundException)
            {
                first ??= error;
                continue;
            }
            if (first is not null) notices.Add($"{first.Message.TrimEnd('.')}; resuming from {Path.GetFileName(folder)}, the newest checkpoint that loads.");
            return;
        }
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first!).Throw();
    }

    private static long LastLoggedStep(string path) =>
        File.Exists(path) ? MetricLog.ReadSteps(path).Select(s => s.Step).DefaultIfEmpty(0).Max() : 0;

    private static bool Loop(Trainer trainer, TrainingConfig config, string runDirectory, IReadOnlyDictionary<string, string> provenance, IProgress<TrainingProgress>? progress, CancellationToken cancellation,
        IPeriodicEvaluator? evaluator, List<string> notices)
    {
        using var log = new MetricLog(Path.Combine(runDirectory, MetricsFileName), keepThroughStep: trainer.Step);
        if (log.DroppedLineCount > 0)
            notices.Add($"{log.Path}: dropped {log.DroppedLineCount} line(s) past step {trainer.Step}, the step resumed from (they are logged again); the lines before are kept as written.");
        trainer.Reinitialized += log.Write;
        long total = config.StepCount, firstStep = trainer.Step;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // Step 0 (the initialisation) only on a log without it: a run resumed before its first checkpoint kept its line.
            if (trainer.Step == 0 && log.LastStep is null) Evaluate(trainer, config, log, evaluator);
            while (trainer.Step < total)
            {
                if (cancellation.IsCancellationRequested)
                {
                    Checkpoint(trainer, runDirectory, provenance, log);
                    return false;
                }
                var metrics = trainer.TrainStep();
                log.Write(metrics);
                // Before the checkpoint of this step, so a checkpoint at step s always has s's evaluation logged.
                Evaluate(trainer, config, log, evaluator);
                if (config.CheckpointEverySteps > 0 && trainer.Step % config.CheckpointEverySteps == 0 && trainer.Step < total)
                    Checkpoint(trainer, runDirectory, provenance, log);
                if (progress is not null)
                {
                    double seconds = clock.Elapsed.TotalSeconds;
                    long done = trainer.Step - firstStep;
                    double stepsPerSecond = seconds > 0 ? done / seconds : 0;
                    var remaining = stepsPerSecond > 0 ? TimeSpan.FromSeconds((total - trainer.Step) / stepsPerSecond) : TimeSpan.Zero;
                    progress.Report(new TrainingProgress(trainer.Step, total, stepsPerSecond * config.BatchSize, remaining, metrics));
                }
            }
            Checkpoint(trainer, runDirectory, provenance, log);
            return true;
        }
        finally
        {
            trainer.Reinitialized -= log.Write;
        }
    }

    private static void Checkpoint(Trainer trainer, string runDirectory, IReadOnlyDictionary<string, string> provenance, MetricLog log)
    {
        trainer.Distribution?.GatherToRoot(trainer, includeOptimizer: true);
        log.FlushToDisk();
        TrainingCheckpoint.Save(trainer, runDirectory, provenance);
    }

    private static void Evaluate(Trainer trainer, TrainingConfig config, MetricLog log, IPeriodicEvaluator? evaluator)
    {
        if (evaluator is null || !config.EvaluatesAt(trainer.Step)) return;
        trainer.Distribution?.GatherToRoot(trainer, includeOptimizer: false);
        log.Write(evaluator.LineType, trainer.Step, evaluator.Evaluate(trainer.Step, trainer.Members));
    }
}

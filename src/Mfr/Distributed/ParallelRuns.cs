using System.Text.Json;
using Mfr.Training;

namespace Mfr.Distributed;

/// <summary>
/// Whole runs spread over the ranks of an MPI job (issue 17 item 3): an experiment made of several independent runs (a
/// k sweep's baseline and MFR ensembles, in <c>mfr sweep</c>, <c>mfr eeg</c> and <c>mfr gpt2</c>) gives run i to rank
/// i mod R when it has at least as many runs as the job has ranks, instead of dividing every run's SAEs among all ranks.
/// Each rank trains its runs as one process would (<see cref="TrainingRun.StartOrResume"/>, its own checkpoints and
/// final SAEs written into the run folder, which every rank must see), one after another; then every rank reports how
/// its runs ended, and rank 0 opens the runs the others trained from their folders (their last checkpoint) to evaluate
/// them. A run's arithmetic does not depend on the rank that trains it, so every file is the one a single process
/// writes. <c>MFR_MPI_MODE=ensemble</c> keeps the ensemble-parallel split for every run, <c>data</c> the data-parallel one.
/// </summary>
public static class ParallelRuns
{
    /// <summary>
    /// Environment variable choosing how an MPI job divides the work: <c>auto</c> (the default: whole runs per rank when
    /// there are enough, else each run's SAEs), <c>ensemble</c> (each run's SAEs) or <c>data</c> (each batch, <see cref="DataParallelism"/>).
    /// </summary>
    public const string ModeVariable = "MFR_MPI_MODE";

    /// <summary>One run of an experiment: what to train and where.</summary>
    /// <param name="Specification">The run's specification.</param>
    /// <param name="RunDirectory">Its folder (on a file system every rank sees).</param>
    public sealed record Assignment(RunSpecification Specification, string RunDirectory);

    private sealed record Report(int Status, string Message);

    private const int Completed = 0, Interrupted = 1, UsageError = 2, Failed = 3;

    /// <summary>
    /// Rank 0 (or the only process): starts or resumes <paramref name="runs"/> in order, as one process trains them, and
    /// returns the results of those it reached: every run when all completed, else fewer, or the last one not completed
    /// (interrupted and checkpointed). The caller disposes them.
    /// </summary>
    /// <param name="runs">The experiment's runs.</param>
    /// <param name="progress">Progress of run i, for the runs this process trains (null for none).</param>
    /// <param name="cancellation">Interrupts the runs (each checkpoints first).</param>
    /// <exception cref="ArgumentException">A run's settings were refused (on whichever rank trained it).</exception>
    /// <exception cref="InvalidOperationException">A run failed on another rank; the message names the rank and the folder.</exception>
    public static IReadOnlyList<TrainingRunResult> StartOrResume(IReadOnlyList<Assignment> runs, Func<int, IProgress<TrainingProgress>?> progress, CancellationToken cancellation)
    {
        var world = MpiJob.World;
        if (!SharesRuns(world.Size, runs.Count, Environment.GetEnvironmentVariable(ModeVariable))) return Sequential(runs, progress, cancellation);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(runs, MetricLog.JsonOptions);
        DistributedWorker.SendRuns(world, json);
        var own = new Dictionary<int, TrainingRunResult>();
        Exception? failure = null;
        try
        {
            using var alone = DistributedWorker.TrainAlone();
            for (int i = 0; i < runs.Count; i += world.Size)
            {
                var run = TrainingRun.StartOrResume(runs[i].Specification, runs[i].RunDirectory, progress(i), cancellation);
                own[i] = run;
                if (!run.Completed) break;
            }
        }
        catch (Exception exception)
        {
            // The other ranks finish their runs and report first, so that the job ends cleanly and keeps their work.
            failure = exception;
        }
        var reports = ExchangeReports(world, failure is null ? new Report(own.Values.All(r => r.Completed) ? Completed : Interrupted, "") : Describe(failure));
        DistributedWorker.RunsReported();
        try
        {
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            for (int rank = 1; rank < reports.Length; rank++)
            {
                var report = reports[rank];
                if (report.Status == UsageError) throw new ArgumentException($"rank {rank}: {report.Message}");
                if (report.Status == Failed) throw new InvalidOperationException($"rank {rank}: {report.Message}");
            }
            return Collect(runs, own, reports, world.Size);
        }
        catch
        {
            foreach (var run in own.Values) run.Dispose();
            throw;
        }
    }

    /// <summary>Whether a job of <paramref name="rankCount"/> ranks gives whole runs to ranks for an experiment of <paramref name="runCount"/> runs.</summary>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is not a known mode.</exception>
    public static bool SharesRuns(int rankCount, int runCount, string? mode) => CheckMode(mode) == "auto" && rankCount > 1 && runCount >= rankCount;

    /// <summary>Whether <paramref name="mode"/> (the value of <see cref="ModeVariable"/>) asks for data-parallel training.</summary>
    /// <exception cref="ArgumentException"><paramref name="mode"/> is not a known mode.</exception>
    public static bool IsDataParallel(string? mode) => CheckMode(mode) == "data";

    private static string CheckMode(string? mode) => mode switch
    {
        null or "" or "auto" => "auto",
        "ensemble" or "data" => mode,
        _ => throw new ArgumentException($"{ModeVariable} must be auto, ensemble or data, got '{mode}'."),
    };

    private static List<TrainingRunResult> Sequential(IReadOnlyList<Assignment> runs, Func<int, IProgress<TrainingProgress>?> progress, CancellationToken cancellation)
    {
        var results = new List<TrainingRunResult>();
        try
        {
            for (int i = 0; i < runs.Count; i++)
            {
                var run = TrainingRun.StartOrResume(runs[i].Specification, runs[i].RunDirectory, progress(i), cancellation);
                results.Add(run);
                if (!run.Completed) break;
            }
            return results;
        }
        catch
        {
            foreach (var run in results) run.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Rank 0: in run order, its own results and the runs other ranks completed, opened from their folders (resuming a
    /// finished run trains nothing), up to the first run not completed; the runs of a rank that was interrupted are not opened.
    /// </summary>
    private static List<TrainingRunResult> Collect(IReadOnlyList<Assignment> runs, Dictionary<int, TrainingRunResult> own, Report[] reports, int rankCount)
    {
        var results = new List<TrainingRunResult>();
        try
        {
            using var alone = DistributedWorker.TrainAlone();
            for (int i = 0; i < runs.Count; i++)
            {
                int rank = i % rankCount;
                if (rank == 0 ? !own.ContainsKey(i) : reports[rank].Status != Completed) break;
                var run = rank == 0 ? own[i] : TrainingRun.StartOrResume(runs[i].Specification, runs[i].RunDirectory);
                results.Add(run);
                if (!run.Completed) break;
            }
        }
        catch
        {
            foreach (var run in results.Except(own.Values)) run.Dispose();
            throw;
        }
        foreach (var run in own.Values.Except(results)) run.Dispose();
        return results;
    }

    /// <summary>A worker rank: trains its runs of <paramref name="json"/> (one after another, stopping at the first not completed), then reports.</summary>
    internal static void Serve(ICommunicator world, byte[] json, CancellationToken cancellation)
    {
        var runs = JsonSerializer.Deserialize<Assignment[]>(json, MetricLog.JsonOptions)
            ?? throw new InvalidDataException($"Rank {world.Rank} received an empty list of runs.");
        var report = new Report(Completed, "");
        try
        {
            using var alone = DistributedWorker.TrainAlone();
            for (int i = world.Rank; i < runs.Length; i += world.Size)
            {
                using var run = TrainingRun.StartOrResume(runs[i].Specification, runs[i].RunDirectory, null, cancellation);
                if (run.Completed) continue;
                report = new Report(Interrupted, "");
                break;
            }
        }
        catch (Exception exception)
        {
            report = Describe(exception);
        }
        ExchangeReports(world, report);
    }

    private static Report Describe(Exception exception) => exception switch
    {
        OperationCanceledException => new Report(Interrupted, ""),
        ArgumentException => new Report(UsageError, exception.Message),
        _ => new Report(Failed, exception.Message),
    };

    /// <summary>Every rank's report, in rank order, on rank 0 (the others receive only the sizes).</summary>
    private static Report[] ExchangeReports(ICommunicator world, Report report)
    {
        byte[] message = System.Text.Encoding.UTF8.GetBytes(report.Message);
        var words = new long[2 * world.Size];
        var counts = Enumerable.Repeat(2, world.Size).ToArray();
        world.AllGatherVariable<long>([report.Status, message.Length], counts, words);
        var lengths = Enumerable.Range(0, world.Size).Select(rank => (int)words[2 * rank + 1]).ToArray();
        var messages = new byte[world.Rank == 0 ? lengths.Sum() : 0];
        world.GatherVariable<byte>(message, lengths, messages, root: 0);
        var reports = new Report[world.Size];
        for (int rank = 0, offset = 0; rank < world.Size; offset += lengths[rank], rank++)
            reports[rank] = new Report((int)words[2 * rank], world.Rank == 0 ? System.Text.Encoding.UTF8.GetString(messages, offset, lengths[rank]) : "");
        return reports;
    }
}

using System.Text.Json;
using Mfr.Data;
using Mfr.Regularization;
using Mfr.Training;

namespace Mfr.Distributed;

/// <summary>
/// How the ranks of an MPI job divide a command (issue 17). Rank 0 runs the command as one process would (it parses
/// the flags, writes every file, prints every line); the other ranks run <see cref="Serve"/>, which waits for rank 0's
/// <see cref="WorkerCommand"/>s: train one run's share of SAEs (rank 0 sends the run's specification, then drives
/// the steps, <see cref="EnsembleDistribution"/>), run the self-test, or exit with rank 0's exit code. So every command
/// that trains through <see cref="TrainingRun"/> (train, synthetic, sweep, eeg, gpt2) is ensemble-parallel under
/// <c>mpirun</c> without a change of its own, and each run of a multi-run experiment is divided in turn.
/// </summary>
public static class DistributedWorker
{
    // True on rank 0 from sending a run to the other ranks until they are known to wait for a command again. Process-wide,
    // like the MPI job it describes: rank 0 runs one command, and its runs one after another.
    private static bool workersBusy;

    // True on a thread that trains a run by itself while the other ranks train others (ParallelRuns): its runs are not divided.
    [ThreadStatic]
    private static bool trainsAlone;

    // Set by the worker's signal handlers: interrupts the whole runs this rank trains (a divided run is rank 0's to stop).
    private static readonly CancellationTokenSource interruption = new();

    /// <summary>The other ranks' loop: follows rank 0's commands until it says exit; returns rank 0's exit code.</summary>
    /// <exception cref="Exception">Anything that fails here is this rank's failure: the caller ends the job with MPI_Abort.</exception>
    public static int Serve(ICommunicator world)
    {
        while (true)
        {
            Span<long> command = [0, 0];
            world.Broadcast(command, root: 0);
            switch ((WorkerCommand)command[0])
            {
                case WorkerCommand.Exit:
                    return (int)command[1];
                case WorkerCommand.Train:
                    Train(world, ReceiveSpecification(world, command[1]), dataParallel: false);
                    break;
                case WorkerCommand.TrainData:
                    Train(world, ReceiveSpecification(world, command[1]), dataParallel: true);
                    break;
                case WorkerCommand.SelfTest:
                    MpiSelfTest.Run(world);
                    break;
                case WorkerCommand.TrainRuns:
                    ParallelRuns.Serve(world, ReceiveBytes(world, command[1]), interruption.Token);
                    break;
                default:
                    throw new InvalidDataException($"Rank {world.Rank} received an unknown command {command[0]} from rank 0.");
            }
        }
    }

    /// <summary>
    /// Rank 0, at the start of a run: sends <paramref name="specification"/> to the other ranks and returns this rank's
    /// share of the ensemble; null in a single process (nothing is sent).
    /// </summary>
    public static EnsembleDistribution? BeginTraining(RunSpecification specification)
    {
        var world = MpiJob.World;
        if (world.Size == 1 || trainsAlone) return null;
        bool dataParallel = ParallelRuns.IsDataParallel(Environment.GetEnvironmentVariable(ParallelRuns.ModeVariable));
        // Refused here, before the other ranks are told anything: a usage error, not a broken job.
        if (dataParallel) DataParallelism.Check(specification);
        var distribution = CreateDistribution(world, specification, dataParallel);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(specification, MetricLog.JsonOptions);
        Send(world, dataParallel ? WorkerCommand.TrainData : WorkerCommand.Train, json.Length);
        world.Broadcast<byte>(json, root: 0);
        workersBusy = true;
        return distribution;
    }

    /// <summary>Rank 0, after the run's last step (finished or interrupted and checkpointed): the other ranks leave the run.</summary>
    public static void EndTraining(EnsembleDistribution? distribution)
    {
        if (distribution is null) return;
        distribution.SendControl(TrainingControl.Stop);
        workersBusy = false;
    }

    /// <summary>Rank 0, when the run diverged: every rank saw the same non-finite value at the same step and left the run.</summary>
    public static void TrainingDiverged(EnsembleDistribution? distribution)
    {
        if (distribution is not null) workersBusy = false;
    }

    /// <summary>Rank 0, at the end of the command: the other ranks exit with <paramref name="exitCode"/>, or, when a failure
    /// left them inside a run, the job is aborted with it.</summary>
    public static void Release(ICommunicator world, int exitCode)
    {
        if (world.Size == 1) return;
        if (workersBusy) world.Abort(exitCode);
        Send(world, WorkerCommand.Exit, exitCode);
    }

    /// <summary>
    /// Refuses a run this job's <c>MFR_MPI_MODE</c> cannot train (an unknown mode; with <c>data</c>, what
    /// <see cref="DataParallelism"/> does not support), before its folder is written. Nothing to check in one process or
    /// for a run a rank trains alone.
    /// </summary>
    /// <exception cref="ArgumentException">The mode or the run is refused.</exception>
    public static void Preflight(RunSpecification specification)
    {
        var world = MpiJob.World;
        if (world.Size == 1 || trainsAlone || !ParallelRuns.IsDataParallel(Environment.GetEnvironmentVariable(ParallelRuns.ModeVariable))) return;
        DataParallelism.Check(specification);
        DataParallelism.CheckBatch(specification.Training.BatchSize, world.Size);
    }

    /// <summary>A worker rank, on Ctrl+C or SIGTERM: the whole runs it trains checkpoint and stop (<see cref="ParallelRuns"/>).</summary>
    public static void Interrupt() => interruption.Cancel();

    /// <summary>
    /// Runs trained on this thread until the scope is disposed are not divided among the ranks: each rank trains whole runs
    /// at the same time (<see cref="ParallelRuns"/>).
    /// </summary>
    internal static IDisposable TrainAlone()
    {
        bool outer = trainsAlone;
        trainsAlone = true;
        return new Scope(() => trainsAlone = outer);
    }

    /// <summary>Rank 0: the other ranks train their whole runs of <paramref name="json"/> (a list of <see cref="ParallelRuns.Assignment"/>).</summary>
    internal static void SendRuns(ICommunicator world, byte[] json)
    {
        Send(world, WorkerCommand.TrainRuns, json.Length);
        world.Broadcast<byte>(json, root: 0);
        workersBusy = true;
    }

    /// <summary>Rank 0: every rank reported how its runs ended; the others wait for a command again.</summary>
    internal static void RunsReported() => workersBusy = false;

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }

    /// <summary>Rank 0: the other ranks run the self-test with it.</summary>
    public static void BeginSelfTest(ICommunicator world)
    {
        if (world.Size > 1) Send(world, WorkerCommand.SelfTest, 0);
    }

    private static void Send(ICommunicator world, WorkerCommand command, long argument)
    {
        Span<long> words = [(long)command, argument];
        world.Broadcast(words, root: 0);
    }

    private static byte[] ReceiveBytes(ICommunicator world, long length)
    {
        var bytes = new byte[length];
        world.Broadcast<byte>(bytes, root: 0);
        return bytes;
    }

    private static RunSpecification ReceiveSpecification(ICommunicator world, long length)
    {
        var json = ReceiveBytes(world, length);
        return JsonSerializer.Deserialize<RunSpecification>(json, MetricLog.JsonOptions)
            ?? throw new InvalidDataException($"Rank {world.Rank} received an empty run specification.");
    }

    private static EnsembleDistribution CreateDistribution(ICommunicator world, RunSpecification specification, bool dataParallel)
    {
        var mfr = specification.Regularization;
        return new EnsembleDistribution(world, specification.Saes, mfr is { UsesReinitialization: true } ? mfr.ReinitializationSettings.MaxAttemptsPerStep : 0,
            sharesDecoders: mfr is { CouplesSaes: true }, dataParallel ? new DataParallelism(world, specification.Training.BatchSize) : null);
    }

    /// <summary>This rank's share of one run: the same trainer rank 0 builds, stepped as rank 0 says.</summary>
    private static void Train(ICommunicator world, RunSpecification specification, bool dataParallel)
    {
        using var source = DataSources.Open(specification.Data);
        var distribution = CreateDistribution(world, specification, dataParallel);
        var mfr = specification.Regularization;
        using var trainer = new Trainer(specification.Training, specification.Saes, source, MfrRegularizers.CreatePenalty(mfr, specification.Saes),
            mfr is { UsesReinitialization: true } ? mfr.ReinitializationSettings : null, distribution);
        distribution.ShareState(trainer);
        try
        {
            Follow(distribution, trainer);
        }
        catch (TrainingDivergedException)
        {
            // Rank 0 found the same non-finite value at the same step (the losses and the parameter check are shared)
            // and reports it; this rank waits for the next command.
        }
    }

    /// <summary>A rank other than 0 in a run: steps, gathers and stops as rank 0 says.</summary>
    /// <exception cref="TrainingDivergedException">The run diverged (on every rank alike).</exception>
    internal static void Follow(EnsembleDistribution distribution, Trainer trainer)
    {
        while (true)
        {
            switch (distribution.ReceiveControl())
            {
                case TrainingControl.Step:
                    // MFR_FAULT_AFTER=rank-step-N kills this rank as it starts step N: how the tests end a job from a rank other than 0.
                    IO.CrashPoint.Reached($"rank-step-{trainer.Step + 1}");
                    trainer.TrainStep();
                    break;
                case TrainingControl.GatherParameters:
                    distribution.GatherToRoot(trainer, includeOptimizer: false);
                    break;
                case TrainingControl.GatherState:
                    distribution.GatherToRoot(trainer, includeOptimizer: true);
                    break;
                case TrainingControl.Stop:
                    return;
            }
        }
    }
}

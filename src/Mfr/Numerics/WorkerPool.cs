using System.Runtime.ExceptionServices;

namespace Mfr.Numerics;

/// <summary>
/// A tiny allocation-free fork-join pool for the kernels: the calling thread and up to
/// <see cref="Parallelism.MaxThreads"/> - 1 persistent background workers claim part indices from a
/// shared counter until all are done. Parts write disjoint outputs and each part computes the same
/// values whichever thread runs it, so results never depend on scheduling (determinism: a resumed
/// training run reproduces an uninterrupted one).
/// </summary>
/// <remarks>
/// Why not Parallel.For: it allocates per call, and a helper thread that is slow to wake (the
/// machine is shared) makes the caller wait. Here the caller does every part itself if a helper has
/// not started yet, and cancels helpers that never woke up. A nested or concurrent call (the pool is
/// busy) simply runs its parts inline on the calling thread.
/// </remarks>
internal static unsafe class WorkerPool
{
    private const int Idle = 0, Posted = 1, Running = 2;

    private static readonly Lock GrowLock = new();
    private static Worker[] workers = [];
    private static int busy;

    private static delegate*<void*, int, void> jobFunction;
    private static void* jobState;
    private static int jobPartCount;
    private static int nextPart;
    private static ExceptionDispatchInfo? jobFailure;

    /// <summary>Runs <c>work.Execute(part)</c> for every part in [0, <paramref name="partCount"/>) and returns when all are done.</summary>
    public static void Run<TWork>(ref TWork work, int partCount, int maxThreads)
        where TWork : unmanaged, IParallelWork
    {
        if (partCount <= 0) return;
        int helperCount = Math.Min(maxThreads, partCount) - 1;
        fixed (TWork* state = &work)
        {
            if (helperCount <= 0 || Interlocked.CompareExchange(ref busy, 1, 0) != 0)
            {
                for (int part = 0; part < partCount; part++) state->Execute(part);
                return;
            }
            try
            {
                RunShared(&Invoke<TWork>, state, partCount, helperCount);
            }
            finally
            {
                Volatile.Write(ref busy, 0);
            }
        }
    }

    /// <summary>Runs with <see cref="Parallelism.MaxThreads"/>.</summary>
    public static void Run<TWork>(ref TWork work, int partCount)
        where TWork : unmanaged, IParallelWork
        => Run(ref work, partCount, Parallelism.MaxThreads);

    private static void Invoke<TWork>(void* state, int part) where TWork : unmanaged, IParallelWork
        => ((TWork*)state)->Execute(part);

    private static void RunShared(delegate*<void*, int, void> function, void* state, int partCount, int helperCount)
    {
        var helpers = EnsureWorkers(helperCount);
        jobFunction = function;
        jobState = state;
        jobPartCount = partCount;
        jobFailure = null;
        Volatile.Write(ref nextPart, 0);
        for (int i = 0; i < helperCount; i++) helpers[i].Post();
        ExecuteParts();
        for (int i = 0; i < helperCount; i++) helpers[i].CancelOrWait();
        jobFailure?.Throw();
    }

    private static void ExecuteParts()
    {
        try
        {
            int part;
            while ((part = Interlocked.Increment(ref nextPart) - 1) < jobPartCount) jobFunction(jobState, part);
        }
        catch (Exception exception)
        {
            // Stop the others claiming parts, keep the first failure for the caller.
            Volatile.Write(ref nextPart, int.MaxValue / 2);
            Interlocked.CompareExchange(ref jobFailure, ExceptionDispatchInfo.Capture(exception), null);
        }
    }

    private static Worker[] EnsureWorkers(int count)
    {
        var current = workers;
        if (current.Length >= count) return current;
        lock (GrowLock)
        {
            if (workers.Length < count)
            {
                var grown = new Worker[count];
                Array.Copy(workers, grown, workers.Length);
                for (int i = workers.Length; i < count; i++) grown[i] = new Worker(i);
                workers = grown;
            }
            return workers;
        }
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim wake = new(0);
        private int state = Idle;

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Mfr kernel worker {index + 1}" };
            thread.Start();
        }

        public void Post()
        {
            Volatile.Write(ref state, Posted);
            wake.Release();
        }

        /// <summary>Takes back a post the worker has not picked up yet, or waits until it finishes the job.</summary>
        public void CancelOrWait()
        {
            if (Interlocked.CompareExchange(ref state, Idle, Posted) == Posted) return;
            var spinner = new SpinWait();
            while (Volatile.Read(ref state) != Idle) spinner.SpinOnce(sleep1Threshold: -1);
        }

        private void Loop()
        {
            while (true)
            {
                wake.Wait();
                // A stale wake-up (its post was cancelled) finds the state Idle and goes back to sleep.
                if (Interlocked.CompareExchange(ref state, Running, Posted) != Posted) continue;
                ExecuteParts();
                Volatile.Write(ref state, Idle);
            }
        }
    }
}

namespace Mfr.Eeg;

/// <summary>
/// Runs <c>produce(i)</c> for i = 0..count-1 on several threads and hands the results to <c>consume</c>
/// strictly in index order, one at a time (so a consumer can stream to a file). Workers take indices in
/// order and never run more than <c>window</c> indices ahead of the oldest unconsumed one, which bounds the
/// memory held in finished-but-unconsumed results.
/// </summary>
internal static class OrderedParallelPipeline
{
    public static void Run<T>(int count, int threads, int window, Func<int, T> produce, Action<int, T> consume, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        threads = Math.Clamp(threads, 1, Math.Max(count, 1));
        window = Math.Max(window, threads);
        var gate = new object();
        var results = new T[count];
        var ready = new bool[count];
        int nextToTake = 0, nextToConsume = 0;
        Exception? failure = null;

        void Worker()
        {
            while (true)
            {
                int index;
                lock (gate)
                {
                    while (failure is null && nextToTake < count && nextToTake - nextToConsume >= window) Monitor.Wait(gate);
                    if (failure is not null || nextToTake >= count) return;
                    index = nextToTake++;
                }
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    T result = produce(index);
                    lock (gate)
                    {
                        results[index] = result;
                        ready[index] = true;
                        // Whoever completes the oldest outstanding index drains every consecutive finished result.
                        while (failure is null && nextToConsume < count && ready[nextToConsume])
                        {
                            consume(nextToConsume, results[nextToConsume]);
                            results[nextToConsume] = default!;
                            nextToConsume++;
                        }
                        Monitor.PulseAll(gate);
                    }
                }
                catch (Exception exception)
                {
                    lock (gate)
                    {
                        failure ??= exception;
                        Monitor.PulseAll(gate);
                    }
                    return;
                }
            }
        }

        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            workers[t] = new Thread(Worker) { IsBackground = true, Name = $"eeg-worker-{t}" };
            workers[t].Start();
        }
        foreach (var worker in workers) worker.Join();
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
    }
}

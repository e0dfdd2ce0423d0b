namespace Mfr.IO;

/// <summary>
/// Named moments inside multi-step writes (a checkpoint replacing another, see Checkpoints/TrainingCheckpoint)
/// where a crash would do the most harm, so that tests and a person can crash exactly there and check that
/// nothing is lost. Two ways in, both inert unless asked for: a test intercepts the moments of its own
/// call (<see cref="Intercept"/>, scoped to the calling flow, so tests running in parallel do not see each
/// other's) and throws to simulate the crash; and the environment variable <see cref="EnvironmentVariable"/>
/// set to a moment's name makes the process kill itself there (SIGKILL on Unix, TerminateProcess on Windows:
/// no finally block, no flush, as <c>kill -9</c> or a power cut of the process), used by tools/crash-demo.sh.
/// </summary>
internal static class CrashPoint
{
    /// <summary>Environment variable naming the moment at which the process kills itself (unset: never).</summary>
    public const string EnvironmentVariable = "MFR_FAULT_AFTER";

    private static readonly string? Requested = Environment.GetEnvironmentVariable(EnvironmentVariable);
    private static readonly AsyncLocal<Action<string>?> Interceptor = new();

    /// <summary>Marks that the moment <paramref name="name"/> has been reached.</summary>
    /// <param name="name">The moment, e.g. "checkpoint-renamed".</param>
    public static void Reached(string name)
    {
        Interceptor.Value?.Invoke(name);
        if (Requested is not null && string.Equals(Requested.Trim(), name, StringComparison.Ordinal))
            System.Diagnostics.Process.GetCurrentProcess().Kill();
    }

    /// <summary>Calls <paramref name="onReached"/> at every moment reached by the calling flow until the result is disposed.</summary>
    /// <param name="onReached">Receives the moment's name; throwing from it simulates a crash there.</param>
    public static IDisposable Intercept(Action<string> onReached)
    {
        var previous = Interceptor.Value;
        Interceptor.Value = onReached;
        return new Restore(previous);
    }

    private sealed class Restore(Action<string>? previous) : IDisposable
    {
        public void Dispose() => Interceptor.Value = previous;
    }
}

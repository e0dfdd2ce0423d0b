namespace Mfr.Tests.TestSupport;

/// <summary>An IProgress that calls its handler on the reporting thread, immediately.</summary>
public sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}

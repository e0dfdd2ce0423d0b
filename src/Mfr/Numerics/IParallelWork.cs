namespace Mfr.Numerics;

/// <summary>
/// One fork-join job for <see cref="WorkerPool"/>: <see cref="Execute"/> runs once for every part
/// index, possibly on different threads and in any order, so parts must write disjoint outputs.
/// Implementations are unmanaged structs holding raw pointers (the caller pins the spans and waits).
/// </summary>
internal interface IParallelWork
{
    /// <summary>Runs part <paramref name="part"/> of the job.</summary>
    void Execute(int part);
}

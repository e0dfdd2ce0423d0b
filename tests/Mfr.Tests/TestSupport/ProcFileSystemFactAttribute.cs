namespace Mfr.Tests.TestSupport;

/// <summary>A fact that needs Linux's <c>/proc</c> (a file system that takes no new folders); skipped, saying so, elsewhere.</summary>
public sealed class ProcFileSystemFactAttribute : FactAttribute
{
    public ProcFileSystemFactAttribute()
    {
        if (!Directory.Exists("/proc/self")) Skip = "needs Linux's /proc, which takes no new folders";
    }
}

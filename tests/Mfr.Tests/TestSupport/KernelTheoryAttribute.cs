using Xunit.Sdk;

namespace Mfr.Tests.TestSupport;

/// <summary>
/// A theory over the variants of one kernel family of <see cref="Mfr.Numerics.KernelRegistry"/>: the first
/// argument of each data row is a variant name (rows from <see cref="KernelVariants"/>), and a row whose
/// variant this machine cannot run is reported as skipped with the reason (<see cref="KernelTheoryDiscoverer"/>),
/// instead of silently running something else.
/// </summary>
/// <param name="family">The family's registry name, e.g. "gemm".</param>
[XunitTestCaseDiscoverer("Mfr.Tests.TestSupport.KernelTheoryDiscoverer", "Mfr.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KernelTheoryAttribute(string family) : TheoryAttribute
{
    /// <summary>The family's registry name.</summary>
    public string Family { get; } = family;
}

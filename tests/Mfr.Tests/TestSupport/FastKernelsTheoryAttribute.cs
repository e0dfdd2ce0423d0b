using Mfr.Numerics;

namespace Mfr.Tests.TestSupport;

/// <summary>
/// A theory about a property of the fast kernel variants (e.g. no allocation per step), skipped when
/// <c>MFR_KERNELS</c> makes a family run its scalar reference, which promises only the results.
/// </summary>
public sealed class FastKernelsTheoryAttribute : TheoryAttribute
{
    public FastKernelsTheoryAttribute()
    {
        var references = KernelRegistry.Families.Where(family => family.SelectedVariant.Level == KernelLevel.Reference).Select(family => family.Name).ToArray();
        if (references.Length > 0) Skip = $"MFR_KERNELS={KernelRegistry.Request} runs the references of {string.Join(", ", references)}, which may allocate.";
    }
}

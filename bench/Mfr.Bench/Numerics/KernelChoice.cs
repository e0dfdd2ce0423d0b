using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary>
/// The benchmarks' view of <see cref="KernelRegistry"/>: each timing runs once per fast variant of its
/// family that this machine supports (the unsupported ones are listed with the reason, not timed).
/// </summary>
internal static class KernelChoice
{
    /// <summary>Names of the fast (non-reference) variants of <paramref name="family"/> this machine runs, e.g. "portable", "avx512".</summary>
    public static IEnumerable<string> SupportedFastVariants(string family)
        => KernelRegistry.Family(family).AllVariants
            .Where(variant => variant.Level != KernelLevel.Reference && variant.UnsupportedReason is null)
            .Select(variant => KernelVariant.NameOf(variant.Level));

    /// <summary>Runs <paramref name="family"/> at <paramref name="variant"/> from now on (the other families keep their selection).</summary>
    public static void Select(string family, string variant)
    {
        var level = KernelRegistry.Family(family).Variant(variant).Level;
        var request = KernelRegistry.Request;
        var overrides = new Dictionary<string, KernelLevel>(request.FamilyLevels) { [family] = level };
        KernelRegistry.Apply(request with { FamilyLevels = overrides });
    }

    /// <summary>
    /// Calls <paramref name="body"/> with each fast variant of <paramref name="family"/> selected (then restores the
    /// selection); writes a line instead for each variant the machine cannot run.
    /// </summary>
    public static void ForEachVariant(TextWriter output, string family, Action<string> body)
    {
        var previous = KernelRegistry.Request;
        try
        {
            foreach (var variant in KernelRegistry.Family(family).AllVariants.Where(variant => variant.Level != KernelLevel.Reference))
            {
                string name = KernelVariant.NameOf(variant.Level);
                if (variant.UnsupportedReason is string reason)
                {
                    output.WriteLine($"{family} {name}: not timed, {reason}");
                    continue;
                }
                Select(family, name);
                body(name);
            }
        }
        finally
        {
            KernelRegistry.Apply(previous);
        }
    }
}

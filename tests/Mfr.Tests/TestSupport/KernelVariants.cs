using Mfr.Numerics;

namespace Mfr.Tests.TestSupport;

/// <summary>Theory rows over the registered variants of a kernel family (<see cref="KernelRegistry"/>), for <see cref="KernelTheoryAttribute"/> theories.</summary>
internal static class KernelVariants
{
    /// <summary>Every fast variant of <paramref name="family"/> (all but the reference), supported here or not: unsupported ones are skipped, not dropped.</summary>
    public static TheoryData<string> Fast(string family)
    {
        var data = new TheoryData<string>();
        foreach (string name in FastNames(family)) data.Add(name);
        return data;
    }

    /// <summary>Every fast variant of <paramref name="family"/> crossed with each of <paramref name="values"/>.</summary>
    public static TheoryData<string, T> Fast<T>(string family, params T[] values)
    {
        var data = new TheoryData<string, T>();
        foreach (string name in FastNames(family))
        {
            foreach (var value in values) data.Add(name, value);
        }
        return data;
    }

    /// <summary>Every variant of <paramref name="family"/>, the reference included (for behaviour every variant, the specification too, must show).</summary>
    public static TheoryData<string> All(string family)
    {
        var data = new TheoryData<string>();
        foreach (var variant in KernelRegistry.Family(family).AllVariants) data.Add(KernelVariant.NameOf(variant.Level));
        return data;
    }

    /// <summary>Every variant of <paramref name="family"/>, the reference included, crossed with each of <paramref name="values"/>.</summary>
    public static TheoryData<string, T> All<T>(string family, params T[] values)
    {
        var data = new TheoryData<string, T>();
        foreach (var variant in KernelRegistry.Family(family).AllVariants)
        {
            foreach (var value in values) data.Add(KernelVariant.NameOf(variant.Level), value);
        }
        return data;
    }

    /// <summary>Names of the fast variants of <paramref name="family"/> this machine runs (for a loop inside one test).</summary>
    public static IEnumerable<string> SupportedFast(string family)
        => FastNames(family).Where(name => SkipReason(family, name) is null);

    /// <summary>Null when this machine runs <paramref name="variant"/> of <paramref name="family"/>, else the skip message.</summary>
    public static string? SkipReason(string family, string variant)
        => KernelRegistry.Family(family).Variant(variant).UnsupportedReason is string reason ? $"{family} {variant} cannot run here: {reason}." : null;

    /// <summary>Names of the fast (non-reference) variants of <paramref name="family"/>, supported here or not.</summary>
    public static IEnumerable<string> FastNames(string family)
        => KernelRegistry.Family(family).AllVariants.Where(variant => variant.Level != KernelLevel.Reference).Select(variant => KernelVariant.NameOf(variant.Level));
}

namespace Mfr.Numerics;

/// <summary>
/// Which kernel levels to run (parsed from <c>MFR_KERNELS</c> by <see cref="KernelSelection"/>): one
/// level for every family, and optional per-family overrides.
/// </summary>
/// <param name="Level">Highest level any family may use (<see cref="KernelLevel.Avx512"/> for auto).</param>
/// <param name="FamilyLevels">Per-family overrides, by family name.</param>
internal sealed record KernelRequest(KernelLevel Level, IReadOnlyDictionary<string, KernelLevel> FamilyLevels)
{
    /// <summary>Every family at its fastest supported variant.</summary>
    public static KernelRequest Auto { get; } = new(KernelLevel.Avx512, new Dictionary<string, KernelLevel>());

    /// <summary>The highest level <paramref name="family"/> may use.</summary>
    public KernelLevel For(string family) => FamilyLevels.TryGetValue(family, out var level) ? level : Level;

    /// <summary>The request as <c>MFR_KERNELS</c> text: the level, then the overrides in name order.</summary>
    public override string ToString()
    {
        string level = Level == KernelLevel.Avx512 ? "auto" : KernelVariant.NameOf(Level);
        return string.Join(",", FamilyLevels.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={KernelVariant.NameOf(pair.Value)}").Prepend(level));
    }
}

namespace Mfr.Numerics;

/// <summary>
/// Reads the environment variable <c>MFR_KERNELS</c>, the one switch over every kernel family of
/// <see cref="KernelRegistry"/> (Sep's and sparsify's environment override, STYLE.md 3):
/// a comma-separated list of a level (<c>auto</c> | <c>avx512</c> | <c>avx2</c> | <c>portable</c> |
/// <c>reference</c>; default <c>auto</c>) and <c>family=level</c> overrides, e.g.
/// <c>MFR_KERNELS=reference</c> or <c>MFR_KERNELS=auto,assignment=reference</c>. Each family runs its
/// highest variant at or below its level that the machine supports.
/// </summary>
internal static class KernelSelection
{
    /// <summary>The environment variable.</summary>
    public const string VariableName = "MFR_KERNELS";

    /// <summary>Parses <c>MFR_KERNELS</c> text (case-insensitive, blanks ignored).</summary>
    /// <param name="text">The value.</param>
    /// <param name="familyNames">The registered family names that overrides may name.</param>
    /// <exception cref="ArgumentException">An unknown level or family, or two levels for one family; the message names MFR_KERNELS and the choices.</exception>
    public static KernelRequest Parse(string text, IReadOnlyCollection<string> familyNames)
    {
        KernelLevel? level = null;
        var familyLevels = new Dictionary<string, KernelLevel>(StringComparer.Ordinal);
        foreach (string rawItem in text.Split(','))
        {
            string item = rawItem.Trim().ToLowerInvariant();
            if (item.Length == 0) continue;
            int equals = item.IndexOf('=');
            if (equals < 0)
            {
                if (level is not null) throw new ArgumentException($"{VariableName} names more than one level ('{text}'); give one level and family=level overrides.");
                level = ParseLevel(item, text);
                continue;
            }
            string family = item[..equals].Trim();
            if (!familyNames.Contains(family))
                throw new ArgumentException($"{VariableName} names an unknown kernel family '{family}' ('{text}'); families: {string.Join(", ", familyNames)}.");
            if (!familyLevels.TryAdd(family, ParseLevel(item[(equals + 1)..].Trim(), text)))
                throw new ArgumentException($"{VariableName} sets kernel family '{family}' twice ('{text}').");
        }
        return new KernelRequest(level ?? KernelLevel.Avx512, familyLevels);
    }

    /// <summary>The request in the environment, or auto with the reason when the value does not parse.</summary>
    /// <param name="familyNames">The registered family names.</param>
    /// <returns>The request, and null or the message explaining why the value was ignored.</returns>
    public static (KernelRequest Request, string? Problem) FromEnvironment(IReadOnlyCollection<string> familyNames)
    {
        string? text = Environment.GetEnvironmentVariable(VariableName);
        if (text is null) return (KernelRequest.Auto, null);
        try
        {
            return (Parse(text, familyNames), null);
        }
        catch (ArgumentException exception)
        {
            // Read at type initialisation: an unreadable value must not take the process down; listings show it was ignored.
            return (KernelRequest.Auto, exception.Message + " Ignored: running auto.");
        }
    }

    private static KernelLevel ParseLevel(string name, string text) => name switch
    {
        "auto" or "avx512" => KernelLevel.Avx512,
        "avx2" => KernelLevel.Avx2,
        "portable" => KernelLevel.Portable,
        "reference" => KernelLevel.Reference,
        _ => throw new ArgumentException($"{VariableName} levels are auto, avx512, avx2, portable or reference, got '{name}' in '{text}'."),
    };
}

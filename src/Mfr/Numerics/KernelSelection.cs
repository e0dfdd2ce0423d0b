using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// The kernel variant registry. The environment variable <c>MFR_KERNELS</c>
/// (<c>auto</c> | <c>avx512</c> | <c>portable</c> | <c>reference</c>, default <c>auto</c>) picks
/// the variant at start-up; tests and benchmarks may set <see cref="Requested"/> to force one.
/// </summary>
public static class KernelSelection
{
    private static KernelFlavor requested = ReadDefault();

    /// <summary>The variant asked for (from <c>MFR_KERNELS</c> or set in code).</summary>
    public static KernelFlavor Requested
    {
        get => requested;
        set => requested = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown kernel flavor.");
    }

    /// <summary>The variant that actually runs: <see cref="Requested"/> resolved against the hardware (never <see cref="KernelFlavor.Auto"/>).</summary>
    public static KernelFlavor Active => Resolve(requested);

    /// <summary>True when the 512-bit kernels can run at full speed on this machine.</summary>
    public static bool Avx512Supported => Vector512.IsHardwareAccelerated && System.Runtime.Intrinsics.X86.Avx512F.IsSupported;

    /// <summary>Parses a flavor name as accepted by <c>MFR_KERNELS</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of auto, avx512, portable, reference.</exception>
    public static KernelFlavor Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "" or "auto" => KernelFlavor.Auto,
        "avx512" => KernelFlavor.Avx512,
        "portable" => KernelFlavor.Portable,
        "reference" => KernelFlavor.Reference,
        _ => throw new ArgumentException($"MFR_KERNELS must be auto, avx512, portable or reference, got '{name}'."),
    };

    internal static KernelFlavor Resolve(KernelFlavor flavor) => flavor switch
    {
        KernelFlavor.Auto or KernelFlavor.Avx512 => Avx512Supported ? KernelFlavor.Avx512 : KernelFlavor.Portable,
        _ => flavor,
    };

    private static KernelFlavor ReadDefault()
    {
        string? text = Environment.GetEnvironmentVariable("MFR_KERNELS");
        // An unreadable value must not take the process down at type initialisation: fall back to auto.
        return text is not null && TryParse(text, out var flavor) ? flavor : KernelFlavor.Auto;
    }

    private static bool TryParse(string text, out KernelFlavor flavor)
    {
        try
        {
            flavor = Parse(text);
            return true;
        }
        catch (ArgumentException)
        {
            flavor = KernelFlavor.Auto;
            return false;
        }
    }
}

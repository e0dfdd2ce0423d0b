using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>Base of the registered variants: the level, a description, and whether the machine can run the level.</summary>
/// <param name="level">The variant's tier.</param>
/// <param name="description">What the variant is, in a few words.</param>
internal abstract class KernelVariant(KernelLevel level, string description) : IKernelVariant
{
    /// <inheritdoc/>
    public KernelLevel Level => level;

    /// <inheritdoc/>
    public string Description => description;

    /// <inheritdoc/>
    public virtual string? UnsupportedReason => MissingSupport(level);

    /// <summary>The name of a level as written in <c>MFR_KERNELS</c> and listings: reference, portable, avx2, avx512.</summary>
    public static string NameOf(KernelLevel level) => level switch
    {
        KernelLevel.Reference => "reference",
        KernelLevel.Portable => "portable",
        KernelLevel.Avx2 => "avx2",
        KernelLevel.Avx512 => "avx512",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown kernel level."),
    };

    /// <summary>Null when this machine runs code of <paramref name="level"/> at full speed, else why not.</summary>
    public static string? MissingSupport(KernelLevel level) => level switch
    {
        KernelLevel.Reference or KernelLevel.Portable => null,
        KernelLevel.Avx2 => Avx2.IsSupported && Fma.IsSupported ? null : "this CPU (or DOTNET_EnableAVX2=0) offers no AVX2 and FMA",
        KernelLevel.Avx512 => !Avx512F.IsSupported
            ? "this CPU (or DOTNET_EnableAVX512=0) offers no AVX-512F"
            : Vector512.IsHardwareAccelerated ? null : "the runtime does not accelerate Vector512 here (DOTNET_PreferredVectorBitWidth, or a CPU where 512-bit vectors are throttled)",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown kernel level."),
    };
}

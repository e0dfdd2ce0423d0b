namespace Mfr.Numerics;

/// <summary>
/// One registered implementation of a kernel family (<see cref="KernelRegistry"/>). Each family has
/// its own interface deriving from this one, carrying the family's entry points; a variant is a
/// complete implementation of it.
/// </summary>
internal interface IKernelVariant
{
    /// <summary>The variant's tier; its name in <c>MFR_KERNELS</c>, listings and test names is <see cref="KernelVariant.NameOf"/> of it.</summary>
    KernelLevel Level { get; }

    /// <summary>What the variant is, in a few words (e.g. "14 x 32 Vector512 micro-kernel").</summary>
    string Description { get; }

    /// <summary>Null when this machine can run the variant at full speed, else why not.</summary>
    string? UnsupportedReason { get; }
}

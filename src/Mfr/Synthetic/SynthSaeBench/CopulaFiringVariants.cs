using Mfr.Numerics;

namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>How a <see cref="FeatureSampler"/> decides which features fire; every pass makes the same decisions bit for bit.</summary>
internal enum FiringPass
{
    /// <summary>Feature by feature: the correlated sum in r order, then the tail on one broadcast lane (the specification).</summary>
    Scalar,

    /// <summary><see cref="System.Numerics.Vector{T}"/> lanes, the exact tail for every feature (the pass the README's runs were drawn with).</summary>
    Vector,

    /// <summary><see cref="ScreenedFiring"/>: 16 lanes, several samples per pass over the factor, the tail only where a bound cannot rule firing out.</summary>
    Screened,
}

/// <summary>
/// The copula firing family (<see cref="KernelRegistry.CopulaFiring"/>): how a SynthSAEBench sample decides which features
/// fire. Every variant makes the same decisions bit for bit (the same float operations per feature), so the sample stream
/// does not depend on the variant.
/// </summary>
internal interface ICopulaFiringKernel : IKernelVariant
{
    /// <summary>The pass <see cref="FeatureSampler"/> runs.</summary>
    FiringPass Pass { get; }
}

/// <summary>The reference: feature by feature.</summary>
internal sealed class CopulaFiringReferenceKernel() : KernelVariant(KernelLevel.Reference, "feature by feature, the exact tail for each"), ICopulaFiringKernel
{
    public FiringPass Pass => FiringPass.Scalar;
}

/// <summary>Vector&lt;T&gt; lanes, every feature's tail evaluated.</summary>
internal sealed class CopulaFiringPortableKernel() : KernelVariant(KernelLevel.Portable, "Vector<T> lanes, the exact tail for every feature"), ICopulaFiringKernel
{
    public FiringPass Pass => FiringPass.Vector;
}

/// <summary>The screened pass (<see cref="ScreenedFiring"/>).</summary>
internal sealed class CopulaFiringScreenedKernel() : KernelVariant(KernelLevel.Avx512, "Vector512, 4 samples per pass, the exact tail only where a bound cannot rule firing out"), ICopulaFiringKernel
{
    public FiringPass Pass => FiringPass.Screened;

    public override string? UnsupportedReason
        => base.UnsupportedReason ?? (ScreenedFiring.IsSupported ? null : "Vector<T> is neither 8 nor 16 floats wide here");
}

using Mfr.Numerics;

namespace Mfr.Regularization;

/// <summary>
/// The partner-gradient family (<see cref="KernelRegistry.PartnerGradient"/>): the MFR penalty's gradient of
/// one SAE in one pass over its rows. One fast path, in <c>Vector&lt;T&gt;</c> (memory-bound, like matched rows).
/// </summary>
internal unsafe interface IPartnerGradientKernel : IKernelVariant
{
    /// <summary>See <see cref="PartnerGradient.Add"/>.</summary>
    void Add(float* decoder, float* rowNorms, int latentCount, int dimension, PartnerGradient.Partner* partners, int partnerCount, float* weightGradient, int maxThreads);
}

/// <summary>The partner-gradient reference: <see cref="PartnerGradientReference"/>, in double.</summary>
internal sealed unsafe class PartnerGradientReferenceKernel() : KernelVariant(KernelLevel.Reference, "scalar rows in double"), IPartnerGradientKernel
{
    public void Add(float* decoder, float* rowNorms, int latentCount, int dimension, PartnerGradient.Partner* partners, int partnerCount, float* weightGradient, int maxThreads)
        => PartnerGradientReference.Add(decoder, rowNorms, latentCount, dimension, partners, partnerCount, weightGradient);
}

/// <summary>The partner-gradient fast path: <see cref="PartnerGradient.AddFast"/>.</summary>
internal sealed unsafe class PartnerGradientPortableKernel() : KernelVariant(KernelLevel.Portable, "Vector<T> rows, threaded"), IPartnerGradientKernel
{
    public void Add(float* decoder, float* rowNorms, int latentCount, int dimension, PartnerGradient.Partner* partners, int partnerCount, float* weightGradient, int maxThreads)
        => PartnerGradient.AddFast(decoder, rowNorms, latentCount, dimension, partners, partnerCount, weightGradient, maxThreads);
}

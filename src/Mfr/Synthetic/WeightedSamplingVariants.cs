using Mfr.Numerics;

namespace Mfr.Synthetic;

/// <summary>
/// The sampler family (<see cref="KernelRegistry.Sampler"/>): the s features of one synthetic sample's
/// group, by weighted sampling without replacement (SPEC 3). The fast variants draw bitwise the same samples (the
/// synthetic data's sample stream must not change; see <see cref="SamplerAvx512Kernel"/>).
/// </summary>
internal unsafe interface ISamplerKernel : IKernelVariant
{
    /// <summary>
    /// <c>Choose(ref rng, inverseWeights [n], n, s, keys [n + 8], scratch [n + 8], chosen [n])</c>: draws n keys from the
    /// sample's generator (advancing it by n doubles) and writes the positions of the s smallest, ascending, to the first s
    /// of chosen. A function pointer, not a method: the draw loop runs in unmanaged work items (<see cref="WorkerPool"/>),
    /// which cannot hold an object.
    /// </summary>
    delegate*<ref Rng, double*, int, int, double*, double*, int*, void> Choose { get; }
}

/// <summary>The sampler reference: <see cref="WeightedSamplingReference"/>, Math.Log keys and a full sort (allocates).</summary>
internal sealed unsafe class SamplerReferenceKernel() : KernelVariant(KernelLevel.Reference, "Math.Log keys, full sort"), ISamplerKernel
{
    public delegate*<ref Rng, double*, int, int, double*, double*, int*, void> Choose => &ChooseSample;

    private static void ChooseSample(ref Rng rng, double* inverseWeights, int count, int chosenCount, double* keys, double* scratch, int* chosen)
    {
        var keySpan = new Span<double>(keys, count);
        WeightedSamplingReference.ExponentialKeys(ref rng, new ReadOnlySpan<double>(inverseWeights, count), keySpan);
        WeightedSamplingReference.SmallestInPositionOrder(keySpan, new Span<int>(chosen, chosenCount));
    }
}

/// <summary>The fast sampler: <see cref="WeightedSampling"/>, Vector256 logarithms and rank counting or a quickselect.</summary>
internal sealed unsafe class SamplerPortableKernel() : KernelVariant(KernelLevel.Portable, "Vector256 log keys, rank counting / quickselect"), ISamplerKernel
{
    public delegate*<ref Rng, double*, int, int, double*, double*, int*, void> Choose => &ChooseSample;

    private static void ChooseSample(ref Rng rng, double* inverseWeights, int count, int chosenCount, double* keys, double* scratch, int* chosen)
    {
        WeightedSampling.ExponentialKeys(ref rng, inverseWeights, count, scratch, keys);
        WeightedSampling.SmallestInPositionOrder(keys, count, chosenCount, scratch, chosen);
    }
}

/// <summary>
/// The AVX-512 sampler: <see cref="WeightedSampling512"/>, Vector512 log keys and rank counting; bitwise the draws of
/// <see cref="SamplerPortableKernel"/> (tested), with half the vector operations per sample.
/// </summary>
internal sealed unsafe class SamplerAvx512Kernel() : KernelVariant(KernelLevel.Avx512, "Vector512 log keys, rank counting / quickselect"), ISamplerKernel
{
    public delegate*<ref Rng, double*, int, int, double*, double*, int*, void> Choose => &ChooseSample;

    private static void ChooseSample(ref Rng rng, double* inverseWeights, int count, int chosenCount, double* keys, double* scratch, int* chosen)
    {
        WeightedSampling512.ExponentialKeys(ref rng, inverseWeights, count, scratch, keys);
        WeightedSampling512.SmallestInPositionOrder(keys, count, chosenCount, scratch, chosen);
    }
}

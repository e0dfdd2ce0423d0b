namespace Mfr.Numerics;

/// <summary>The AdamW family (<see cref="KernelRegistry.Adam"/>): one step over a buffer, shapes already checked by <see cref="Adam"/>.</summary>
internal interface IAdamKernel : IKernelVariant
{
    /// <summary>See <see cref="AdamReference.Step"/>.</summary>
    void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step, int maxThreads);
}

/// <summary>The AdamW reference: <see cref="AdamReference"/>, the textbook update in double.</summary>
internal sealed class AdamReferenceKernel() : KernelVariant(KernelLevel.Reference, "textbook update in double"), IAdamKernel
{
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step, int maxThreads)
        => AdamReference.Step(parameters, gradients, firstMoment, secondMoment, settings, step);
}

/// <summary>The vectorised AdamW (<see cref="AdamKernel{TOps, TVector}"/>) at one width.</summary>
/// <param name="level">Portable (Vector256) or Avx512 (Vector512).</param>
/// <param name="description">The vectors used.</param>
internal sealed class AdamVectorKernel(KernelLevel level, string description) : KernelVariant(level, description), IAdamKernel
{
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step, int maxThreads)
        => Adam.StepFast(parameters, gradients, firstMoment, secondMoment, settings, step, avx512: Level == KernelLevel.Avx512, maxThreads);
}

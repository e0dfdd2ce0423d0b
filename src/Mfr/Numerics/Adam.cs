using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>Fast AdamW step; same contract as <see cref="AdamReference.Step"/>.</summary>
/// <remarks>
/// Float arithmetic with the bias corrections folded into two scalars computed in double:
/// <c>p = p (1 - lr wd) - (lr / (1 - b1^t)) m / (sqrt(v / (1 - b2^t)) + eps)</c>, vectorised
/// (Vector512 or Vector256, the variant <see cref="KernelRegistry.Adam"/> selects) and split over threads for large buffers.
/// Agrees with the double-precision reference to ~1e-6 relative; element-wise, so deterministic.
/// </remarks>
public static class Adam
{
    /// <summary>Parameters per parallel part; buffers below two parts stay on the calling thread.</summary>
    private const int ParametersPerPart = 64 * 1024;

    /// <summary>See <see cref="AdamReference.Step"/>.</summary>
    /// <param name="parameters">Parameters, updated in place, <c>[n]</c>.</param>
    /// <param name="gradients">Gradients, <c>[n]</c>.</param>
    /// <param name="firstMoment">Adam m, <c>[n]</c>, updated.</param>
    /// <param name="secondMoment">Adam v, <c>[n]</c>, updated.</param>
    /// <param name="settings">Hyperparameters.</param>
    /// <param name="step">1-based step count, for bias correction.</param>
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step)
        => StepWith(parameters, gradients, firstMoment, secondMoment, settings, step, KernelRegistry.Adam.Selected, Parallelism.MaxThreads);

    /// <summary><see cref="Step"/> with an explicit variant and thread count (tests, benchmarks).</summary>
    internal static void StepWith(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step, IAdamKernel kernel, int maxThreads)
    {
        CheckShapes(parameters.Length, gradients.Length, firstMoment.Length, secondMoment.Length, step);
        kernel.Step(parameters, gradients, firstMoment, secondMoment, settings, step, maxThreads);
    }

    /// <summary>The fast variants (shapes checked): float arithmetic with folded bias corrections, split over threads.</summary>
    internal static unsafe void StepFast(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step, bool avx512, int maxThreads)
    {
        fixed (float* p = parameters, g = gradients, m = firstMoment, v = secondMoment)
        {
            var work = new StepWork
            {
                Parameters = p,
                Gradients = g,
                FirstMoment = m,
                SecondMoment = v,
                Length = parameters.Length,
                Coefficients = Coefficients(settings, step),
                Avx512 = avx512,
            };
            int parts = (parameters.Length + ParametersPerPart - 1) / ParametersPerPart;
            WorkerPool.Run(ref work, parts, parts < 2 ? 1 : maxThreads);
        }
    }

    /// <summary>The float scalars of step <paramref name="step"/> of the fast variants, from bias corrections computed in double.</summary>
    internal static AdamCoefficients Coefficients(AdamSettings settings, long step)
    {
        double biasCorrection1 = 1 - Math.Pow(settings.Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(settings.Beta2, step);
        return new AdamCoefficients(
            Decay: (float)(1.0 - (double)settings.LearningRate * settings.WeightDecay),
            Beta1: settings.Beta1, OneMinusBeta1: (float)(1.0 - settings.Beta1),
            Beta2: settings.Beta2, OneMinusBeta2: (float)(1.0 - settings.Beta2),
            StepSize: (float)(settings.LearningRate / biasCorrection1),
            InverseBiasCorrection2: (float)(1.0 / biasCorrection2),
            Epsilon: settings.Epsilon);
    }

    internal static void CheckShapes(int parameterLength, int gradientLength, int firstLength, int secondLength, long step)
    {
        if (gradientLength != parameterLength || firstLength != parameterLength || secondLength != parameterLength)
            throw new ArgumentException($"Adam buffers must match the parameters ({parameterLength}): gradients {gradientLength}, m {firstLength}, v {secondLength}.");
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "Adam steps are 1-based.");
    }

    private unsafe struct StepWork : IParallelWork
    {
        public float* Parameters, Gradients, FirstMoment, SecondMoment;
        public int Length;
        public AdamCoefficients Coefficients;
        public bool Avx512;

        public readonly void Execute(int part)
        {
            int first = part * ParametersPerPart, count = Math.Min(ParametersPerPart, Length - first);
            if (Avx512) AdamKernel<VectorOps512, Vector512<float>>.Step(Parameters + first, Gradients + first, FirstMoment + first, SecondMoment + first, count, Coefficients);
            else AdamKernel<VectorOps256, Vector256<float>>.Step(Parameters + first, Gradients + first, FirstMoment + first, SecondMoment + first, count, Coefficients);
        }
    }
}

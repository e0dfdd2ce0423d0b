namespace Mfr.Numerics;

/// <summary>
/// Scalar specification of one AdamW step, matching torch.optim.AdamW (and torch.optim.Adam when
/// weight decay is 0): <c>p *= 1 - lr*wd; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
/// p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)</c>.
/// </summary>
public static class AdamReference
{
    /// <summary>Applies step number <paramref name="step"/> (1-based) to every parameter.</summary>
    /// <param name="parameters">Parameters, updated in place, <c>[n]</c>.</param>
    /// <param name="gradients">Gradients, <c>[n]</c>.</param>
    /// <param name="firstMoment">Adam m, <c>[n]</c>, updated.</param>
    /// <param name="secondMoment">Adam v, <c>[n]</c>, updated.</param>
    /// <param name="settings">Hyperparameters.</param>
    /// <param name="step">1-based step count, for bias correction.</param>
    public static void Step(Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment, AdamSettings settings, long step)
    {
        Adam.CheckShapes(parameters.Length, gradients.Length, firstMoment.Length, secondMoment.Length, step);
        double biasCorrection1 = 1 - Math.Pow(settings.Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(settings.Beta2, step);
        for (int i = 0; i < parameters.Length; i++)
        {
            double p = parameters[i] * (1.0 - (double)settings.LearningRate * settings.WeightDecay);
            double g = gradients[i];
            double m = settings.Beta1 * (double)firstMoment[i] + (1 - settings.Beta1) * g;
            double v = settings.Beta2 * (double)secondMoment[i] + (1 - settings.Beta2) * g * g;
            firstMoment[i] = (float)m;
            secondMoment[i] = (float)v;
            p -= settings.LearningRate * (m / biasCorrection1) / (Math.Sqrt(v / biasCorrection2) + settings.Epsilon);
            parameters[i] = (float)p;
        }
    }
}

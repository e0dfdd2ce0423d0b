namespace Mfr.Numerics;

/// <summary>Width-generic AdamW update of a contiguous range (see <see cref="Adam"/>); vector body, scalar tail with the same formula.</summary>
internal static unsafe class AdamKernel<TOps, TVector>
    where TOps : struct, IVectorOps<TVector>
    where TVector : struct
{
    public static void Step(float* parameters, float* gradients, float* firstMoment, float* secondMoment, int count, AdamCoefficients c)
    {
        var decay = TOps.Broadcast(c.Decay);
        var beta1 = TOps.Broadcast(c.Beta1);
        var oneMinusBeta1 = TOps.Broadcast(c.OneMinusBeta1);
        var beta2 = TOps.Broadcast(c.Beta2);
        var oneMinusBeta2 = TOps.Broadcast(c.OneMinusBeta2);
        var stepSize = TOps.Broadcast(c.StepSize);
        var inverseCorrection2 = TOps.Broadcast(c.InverseBiasCorrection2);
        var epsilon = TOps.Broadcast(c.Epsilon);
        int i = 0;
        for (; i <= count - TOps.Count; i += TOps.Count)
        {
            var g = TOps.Load(gradients + i);
            var m = TOps.Add(TOps.Multiply(beta1, TOps.Load(firstMoment + i)), TOps.Multiply(oneMinusBeta1, g));
            var v = TOps.Add(TOps.Multiply(beta2, TOps.Load(secondMoment + i)), TOps.Multiply(oneMinusBeta2, TOps.Multiply(g, g)));
            TOps.Store(m, firstMoment + i);
            TOps.Store(v, secondMoment + i);
            var denominator = TOps.Add(TOps.Sqrt(TOps.Multiply(v, inverseCorrection2)), epsilon);
            var update = TOps.Divide(TOps.Multiply(stepSize, m), denominator);
            TOps.Store(TOps.Subtract(TOps.Multiply(TOps.Load(parameters + i), decay), update), parameters + i);
        }
        for (; i < count; i++)
        {
            float g = gradients[i];
            float m = c.Beta1 * firstMoment[i] + c.OneMinusBeta1 * g;
            float v = c.Beta2 * secondMoment[i] + c.OneMinusBeta2 * (g * g);
            firstMoment[i] = m;
            secondMoment[i] = v;
            parameters[i] = parameters[i] * c.Decay - c.StepSize * m / (MathF.Sqrt(v * c.InverseBiasCorrection2) + c.Epsilon);
        }
    }
}

using System.Numerics;
using Mfr.Gpt2;

namespace Mfr.Tests.Gpt2;

public sealed class Gpt2VectorMathTests
{
    [Fact]
    public void Exp_MatchesMathExpWithinAFewUlp_OverTheNormalRange()
    {
        // Given a dense sweep of [-87, 88] (every output a normal float)
        int count = Vector<float>.Count;
        double worst = 0;
        for (int step = 0; step < 200_000; step += count)
        {
            var inputs = new float[count];
            for (int lane = 0; lane < count; lane++) inputs[lane] = -87f + 175f * (step + lane) / 200_000f;

            // When
            var outputs = Gpt2VectorMath.Exp(new Vector<float>(inputs));

            // Then
            for (int lane = 0; lane < count; lane++)
            {
                double exact = Math.Exp(inputs[lane]);
                worst = Math.Max(worst, Math.Abs(outputs[lane] - exact) / exact);
            }
        }
        Assert.True(worst < 3e-7, $"worst relative error {worst:G3}");
    }

    [Fact]
    public void Exp_OutsideTheRange_SaturatesWithoutInfinityOrNaN()
    {
        var outputs = Gpt2VectorMath.Exp(new Vector<float>(-1000f));
        Assert.All(Enumerable.Range(0, Vector<float>.Count), lane => Assert.InRange(outputs[lane], 0f, 1.2e-38f));
        var large = Gpt2VectorMath.Exp(new Vector<float>(1000f));
        Assert.All(Enumerable.Range(0, Vector<float>.Count), lane => Assert.True(float.IsFinite(large[lane]) && large[lane] > 1e38f));
        var zero = Gpt2VectorMath.Exp(Vector<float>.Zero);
        Assert.Equal(1f, zero[0]);
    }
}

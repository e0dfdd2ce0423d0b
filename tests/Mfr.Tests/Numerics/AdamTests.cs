using Mfr.Numerics;
using Mfr.Tests.TestSupport;

namespace Mfr.Tests.Numerics;

public sealed class AdamTests
{
    /// <summary>The registered fast AdamW variants (<see cref="KernelRegistry.Adam"/>), with and without weight decay.</summary>
    public static TheoryData<string, float> VariantsAndDecay => KernelVariants.Fast("adam", 0.01f, 0f);

    [KernelTheory("adam")]
    [MemberData(nameof(VariantsAndDecay))]
    public void Step_TracksReference_OverManySteps(string variant, float weightDecay)
    {
        var settings = new AdamSettings(LearningRate: 1e-3f, WeightDecay: weightDecay);
        foreach (int length in new[] { 0, 1, 7, 15, 16, 17, 33, 49, 140_001 })
        {
            // Given: the same start for both, fresh gradients every step.
            var parameters = KernelTestData.Gaussian(length, 1);
            var firstMoment = KernelTestData.Empty(length);
            var secondMoment = KernelTestData.Empty(length);
            var expectedParameters = parameters.Span.ToArray();
            var expectedFirst = new float[length];
            var expectedSecond = new float[length];

            // When
            for (long step = 1; step <= 12; step++)
            {
                var gradients = KernelTestData.Gaussian(length, 100 + (ulong)step).Span;
                Adam.StepWith(parameters.Span, gradients, firstMoment.Span, secondMoment.Span, settings, step, KernelRegistry.Adam.Get(variant), maxThreads: 2);
                AdamReference.Step(expectedParameters, gradients, expectedFirst, expectedSecond, settings, step);
            }

            // Then
            string what = $"{variant} n={length} wd={weightDecay}";
            AssertClose.Equal(expectedParameters, parameters.Span, 1e-6, 1e-6, what + " parameters");
            AssertClose.Equal(expectedFirst, firstMoment.Span, 1e-7, 1e-5, what + " m");
            AssertClose.Equal(expectedSecond, secondMoment.Span, 1e-7, 1e-5, what + " v");
            parameters.AssertCanariesIntact(what);
            firstMoment.AssertCanariesIntact(what);
            secondMoment.AssertCanariesIntact(what);
        }
    }

    [Fact]
    public void Step_Throws_OnStepZero()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Adam.Step(new float[2], new float[2], new float[2], new float[2], new AdamSettings(1e-3f), 0));

    [Fact]
    public void Step_Throws_OnMismatchedBuffers()
    {
        var exception = Assert.Throws<ArgumentException>(() => Adam.Step(new float[3], new float[2], new float[3], new float[3], new AdamSettings(1e-3f), 1));
        Assert.Contains("gradients 2", exception.Message);
    }
}

using Mfr.Numerics;
using Mfr.Synthetic.SynthSaeBench;

namespace Mfr.Tests.Synthetic.SynthSaeBench;

public sealed class FeatureHierarchyTests
{
    private static FeatureHierarchy Build(SynthSaeBenchConfig config)
    {
        var rng = new Rng(1);
        return new FeatureHierarchy(config, ref rng);
    }

    [Fact]
    public void Forest_IsNumberedBreadthFirst_WithContiguousSiblings()
    {
        // Given 2 roots, branching 3, depth 2 (2 + 6 + 18 = 26 features) among 40
        var hierarchy = Build(new SynthSaeBenchConfig(FeatureCount: 40, InputDim: 4, HierarchyRootCount: 2, HierarchyBranching: 3, HierarchyDepth: 2));

        // Then roots are 0, 1; their children 2-4 and 5-7; the children of 2 are 8-10, of 7 are 23-25
        Assert.Equal(26, hierarchy.FeatureCount);
        Assert.Equal(-1, hierarchy.Parent(0));
        Assert.Equal(-1, hierarchy.Parent(1));
        Assert.Equal((2, 3), hierarchy.Children(0));
        Assert.Equal((5, 3), hierarchy.Children(1));
        Assert.Equal((8, 3), hierarchy.Children(2));
        Assert.Equal((23, 3), hierarchy.Children(7));
        Assert.Equal(7, hierarchy.Parent(25));
        Assert.Equal((-1, 0), hierarchy.Children(25));
        // and features past the forest are free
        Assert.Equal(-1, hierarchy.Parent(26));
        Assert.Equal(-1, hierarchy.Parent(39));
    }

    [Theory]
    [InlineData(1.0, 8)]
    [InlineData(0.0, 0)]
    [InlineData(0.5, 4)]
    public void MutuallyExclusivePortion_PicksThatShareOfTheParents(double portion, int expectedExclusive)
    {
        // Given 8 parents (2 roots + 6 inner nodes)
        var hierarchy = Build(new SynthSaeBenchConfig(FeatureCount: 40, InputDim: 4, HierarchyRootCount: 2, HierarchyBranching: 3, HierarchyDepth: 2, MutuallyExclusivePortion: portion));

        // Then int(8 * portion) of them have exclusive children, and no leaf does
        Assert.Equal(expectedExclusive, Enumerable.Range(0, 8).Count(hierarchy.HasExclusiveChildren));
        Assert.DoesNotContain(Enumerable.Range(8, 32), hierarchy.HasExclusiveChildren);
    }

    [Fact]
    public void CompensateProbabilities_DividesByTheParentAndAddsTheSiblingsShare()
    {
        // Given one root with 2 exclusive children (features 0; 1, 2) and a free feature 3
        var hierarchy = Build(new SynthSaeBenchConfig(FeatureCount: 4, InputDim: 4, HierarchyRootCount: 1, HierarchyBranching: 2, HierarchyDepth: 1));
        double[] baseProbabilities = [0.4, 0.1, 0.05, 0.02];

        // When compensated
        var corrected = hierarchy.CompensateProbabilities(baseProbabilities);

        // Then (hand computed, SAELens compute_probability_correction_factors):
        // child 1: 0.1 / 0.4 * (1 + 0.05 / 0.4) = 0.28125; child 2: 0.05 / 0.4 * (1 + 0.1 / 0.4) = 0.15625
        Assert.Equal(0.4, corrected[0], 1e-15);
        Assert.Equal(0.28125, corrected[1], 1e-15);
        Assert.Equal(0.15625, corrected[2], 1e-15);
        Assert.Equal(0.02, corrected[3], 1e-15);
    }
}

using Mfr.Numerics;

namespace Mfr.Synthetic.SynthSaeBench;

/// <summary>
/// The hierarchy forest of SynthSAEBench, ported from SAELens <c>sae_lens/synthetic/hierarchy/hierarchy.py</c>
/// generate_hierarchy (decoderesearch/SAELens; read at tkellogg/SAELens 78b92fc): <c>roots</c> trees built breadth
/// first, every parent above <c>depth</c> gets <c>branching</c> children, features numbered in that order
/// (roots 0..R-1, then their children, ...), so a parent always has a smaller index than its children and
/// siblings are contiguous. A share of the parents get mutually exclusive children. Features past the forest
/// are free (no parent).
/// <para>
/// Deviation: SAELens picks the mutually exclusive parents with Python's random.sample; here a seeded
/// partial Fisher-Yates picks the same number (identical when the portion is 0 or 1, as in SynthSAEBench-16k).
/// </para>
/// </summary>
public sealed class FeatureHierarchy
{
    private readonly int[] parent;
    private readonly int[] firstChild;
    private readonly int[] childCount;
    private readonly bool[] exclusiveChildren;

    /// <summary>Builds the forest for <paramref name="config"/>; <paramref name="rng"/> picks the mutually exclusive parents.</summary>
    internal FeatureHierarchy(SynthSaeBenchConfig config, ref Rng rng)
    {
        int n = config.FeatureCount;
        parent = new int[n];
        firstChild = new int[n];
        childCount = new int[n];
        exclusiveChildren = new bool[n];
        Array.Fill(parent, -1);
        Array.Fill(firstChild, -1);
        int next = 0;
        var level = new List<int>();
        for (int root = 0; root < config.HierarchyRootCount && next < n; root++) level.Add(next++);
        var parentsWithChildren = new List<int>();
        for (int depth = 0; depth < config.HierarchyDepth && level.Count > 0; depth++)
        {
            var nextLevel = new List<int>();
            foreach (int node in level)
            {
                int first = next;
                for (int b = 0; b < config.HierarchyBranching && next < n; b++)
                {
                    parent[next] = node;
                    nextLevel.Add(next++);
                }
                childCount[node] = next - first;
                if (childCount[node] > 0) firstChild[node] = first;
                if (childCount[node] >= 2) parentsWithChildren.Add(node);
            }
            level = nextLevel;
        }
        FeatureCount = next;
        int exclusiveCount = (int)(parentsWithChildren.Count * config.MutuallyExclusivePortion);
        for (int i = 0; i < exclusiveCount; i++)
        {
            int pick = i + rng.NextInt(parentsWithChildren.Count - i);
            (parentsWithChildren[i], parentsWithChildren[pick]) = (parentsWithChildren[pick], parentsWithChildren[i]);
            exclusiveChildren[parentsWithChildren[i]] = true;
        }
    }

    /// <summary>Features inside the forest (0..FeatureCount-1); later features have no parent.</summary>
    public int FeatureCount { get; }

    /// <summary>Parent of <paramref name="feature"/>, or -1 for a root or a feature outside the forest.</summary>
    public int Parent(int feature) => parent[feature];

    /// <summary>First child and number of children of <paramref name="feature"/> (children are contiguous; (-1, 0) for a leaf).</summary>
    public (int First, int Count) Children(int feature) => (firstChild[feature], childCount[feature]);

    /// <summary>Whether at most one child of <paramref name="feature"/> may fire in a sample.</summary>
    public bool HasExclusiveChildren(int feature) => exclusiveChildren[feature];

    /// <summary>
    /// SAELens Hierarchy.compute_probability_correction_factors (hierarchy.py): a child's probability is
    /// divided by its parent's base probability, and a child of a mutually exclusive parent is further multiplied
    /// by 1 + (sum of its siblings' base probabilities) / parent's base probability, so that after gating and
    /// exclusion each feature fires about as often as its base probability says; results are capped at 1.
    /// </summary>
    /// <param name="baseProbabilities">Zipfian probabilities, <c>[N]</c>.</param>
    /// <returns>The probabilities the copula thresholds, <c>[N]</c>.</returns>
    public double[] CompensateProbabilities(IReadOnlyList<double> baseProbabilities)
    {
        int n = parent.Length;
        var corrected = new double[n];
        for (int i = 0; i < n; i++)
        {
            double factor = parent[i] >= 0 ? 1 / baseProbabilities[parent[i]] : 1;
            int p = parent[i];
            if (p >= 0 && exclusiveChildren[p])
            {
                double siblings = 0;
                for (int c = firstChild[p]; c < firstChild[p] + childCount[p]; c++) siblings += baseProbabilities[c];
                factor *= 1 + Math.Max(0, siblings - baseProbabilities[i]) / baseProbabilities[p];
            }
            corrected[i] = Math.Min(1, baseProbabilities[i] * factor);
        }
        return corrected;
    }
}

namespace Mfr.Matching;

/// <summary>Which way a <see cref="LinearAssignment"/> problem is optimised.</summary>
public enum AssignmentObjective
{
    /// <summary>Maximise the total of the matched entries (a similarity, e.g. cosines).</summary>
    MaximizeSimilarity,

    /// <summary>Minimise the total of the matched entries (a cost).</summary>
    MinimizeCost,
}

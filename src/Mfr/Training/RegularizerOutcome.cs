namespace Mfr.Training;

/// <summary>What a regulariser did on one step.</summary>
/// <param name="Penalty">Value added to the ensemble objective (0 for none).</param>
/// <param name="Beta">Penalty scale in force (NaN when not applicable).</param>
/// <param name="WarmupWeight">w(t) in force.</param>
/// <param name="PairMmcs">MMCS between each pair of SAEs (a &lt; b, row-major order) under the assignment used this step.</param>
/// <param name="AssignmentRefreshed">Whether the assignment was solved anew this step.</param>
public sealed record RegularizerOutcome(double Penalty, double Beta, double WarmupWeight, IReadOnlyList<double> PairMmcs, bool AssignmentRefreshed)
{
    /// <summary>No regulariser.</summary>
    public static RegularizerOutcome None { get; } = new(0, double.NaN, 0, [], false);
}

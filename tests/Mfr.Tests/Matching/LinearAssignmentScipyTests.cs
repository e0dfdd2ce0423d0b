using System.Text.Json;
using Mfr.Matching;

namespace Mfr.Tests.Matching;

/// <summary>
/// Against scipy.optimize.linear_sum_assignment (tools/golden/linear_assignment_golden.py): the
/// same optimal total and, as these float matrices have no ties, the same assignment.
/// </summary>
public sealed class LinearAssignmentScipyTests
{
    private sealed record GoldenCase(string Name, int Rows, int Columns, double[] Values, int[] ColumnForRow, double Total);

    private sealed record GoldenFile(string Generator, GoldenCase[] Cases);

    public static TheoryData<string> CaseNames => new(Load().Select(c => c.Name));

    private static GoldenCase[] Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "Matching", "linear_assignment_scipy.json");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        return JsonSerializer.Deserialize<GoldenFile>(File.ReadAllText(path), options)!.Cases;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MaximizeSimilarity_MatchesScipy(string name)
    {
        var golden = Load().Single(c => c.Name == name);
        var matrix = golden.Values.Select(v => (float)v).ToArray();

        var result = LinearAssignment.MaximizeSimilarity(matrix, golden.Rows, golden.Columns);

        Assert.Equal(golden.Total, result.Total, 9);
        Assert.Equal(golden.ColumnForRow, result.ColumnForRow.ToArray());
    }
}

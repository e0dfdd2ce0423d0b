using Mfr.Cli.Rendering;
using Mfr.Experiments;
using Mfr.Synthetic;

namespace Mfr.Tests.Cli.Rendering;

public sealed class SyntheticResultTablesTests
{
    private static SyntheticSaeResult Row(string variant, int index, double partnerMmcs, double? beta) =>
        new(variant, 0, index, 1, 0.7, 0.07, 32, 0, 0.5, [0.2, 0.1, 0.05], partnerMmcs, 0.5, 0, beta);

    private static SyntheticExperimentResult Result(params SyntheticSaeResult[] rows) =>
        new(new SyntheticExperimentConfig(new SyntheticDataConfig()), rows, [], 1);

    [Fact]
    public void Render_NotesAnMfrVariantWhoseCoupledSaesBecameOneDictionary()
    {
        // Given a collapsed MFR pair, an MFR pair that stayed apart and a baseline pair that agrees by chance
        var result = Result(
            Row("baseline", 0, 0.995, null), Row("baseline", 1, 0.995, null),
            Row("mfr beta=auto", 0, 0.9999, 7.9), Row("mfr beta=auto", 1, 0.9999, 7.9),
            Row("mfr beta=0.01", 0, 0.48, 0.01), Row("mfr beta=0.01", 1, 0.48, 0.01));

        // When
        string text = SyntheticResultTables.Render(result);

        // Then only the collapsed MFR variant is named
        Assert.Contains("Note: under mfr beta=auto the coupled SAEs learned the same dictionary", text);
        Assert.DoesNotContain("under mfr beta=0.01", text);
        Assert.DoesNotContain("under baseline", text);
    }

    [Fact]
    public void Render_SaysNothingWhenEveryCoupledPairStayedApart()
    {
        var result = Result(Row("mfr beta=0.1", 0, 0.69, 0.1), Row("mfr beta=0.1", 1, 0.995, 0.1));

        Assert.DoesNotContain("same dictionary", SyntheticResultTables.Render(result));
    }

    [Fact]
    public void Render_NotesABudgetBelowThePapers_AndNotThePapersOwn()
    {
        var row = Row("baseline", 0, 0.4, null);
        var short_ = new SyntheticExperimentResult(new SyntheticExperimentConfig(new SyntheticDataConfig(), SampleCount: 5_000_000), [row], [], 1);
        var paper = new SyntheticExperimentResult(SyntheticExperimentConfig.Paper(), [row], [], 1);

        Assert.Contains("Note: 5,000,000 samples per SAE is 10% of the paper's 50,000,000", SyntheticResultTables.Render(short_));
        Assert.DoesNotContain("of the paper's", SyntheticResultTables.Render(paper));
    }
}

using System.Globalization;
using Mfr.Experiments;

namespace Mfr.Reports;

/// <summary>
/// The one definition of a k sweep's tables (`mfr sweep`, `mfr eeg`, `mfr gpt2`), for the console and the report
/// alike: per k, baseline vs MFR held-out loss (paper tables 1 and 3), then the decoder distances between the
/// SAEs of each ensemble (paper section 4.3); then the result's findings.
/// </summary>
internal static class KSweepResultTables
{
    private static readonly TableColumn<KSweepRow>[] PerK =
    [
        new("k", row => Integer(row.K)),
        new("MFR loss", row => F(row.MfrLoss, "G4")),
        new("baseline loss", row => F(row.BaselineLoss, "G4")),
        new("relative", row => SignedNumber.Percent(row.RelativeDifference)),
        new("MFR L0", row => F(row.MfrL0, "F1")),
        new("baseline L0", row => F(row.BaselineL0, "F1")),
        new("MFR dead", row => Integer(row.MfrDead)),
        new("baseline dead", row => Integer(row.BaselineDead)),
    ];

    /// <summary>The tables and findings of <paramref name="result"/>.</summary>
    public static ResultSummary Summary(KSweepResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        // Issue 12 item 8: a dead count names its window (the run reports count over the last training samples).
        var notes = new List<string> { string.Create(CultureInfo.InvariantCulture, $"dead: latents that never fired on those {result.HeldOutSamples:N0} held-out vectors.") };
        if (result.MfrPairMmcs is { Length: > 0 } pairs)
        {
            // SPEC 2: report the MMCS between coupled SAEs beside their losses; near 1 they are one dictionary.
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"MMCS between the coupled MFR SAEs at the last step: mean {pairs.Average():F3}, {pairs.Min():F3} to {pairs.Max():F3} over {pairs.Length} pair(s)."));
        }
        var ks = result.Config.Ks;
        ResultTable[] tables =
        [
            new(TableColumn<KSweepRow>.Table(PerK, result.Rows,
                string.Create(CultureInfo.InvariantCulture, $"Held-out reconstruction loss (MSE) over {result.HeldOutSamples:N0} vectors; relative = (MFR - baseline) / baseline.")), notes),
            new(DistanceTable("baseline", ks, result.BaselineDecoderDistances), []),
            new(DistanceTable("MFR", ks, result.MfrDecoderDistances), []),
        ];
        // Results written before findings were kept get them now, from the same rows.
        return new ResultSummary(tables, result.Findings ?? KSweepFindings.Of(result.Config, result.Rows, result.MfrPairMmcs));
    }

    /// <summary>The console's rendering: the tables, then the findings (<see cref="ResultSummary.ToText"/>).</summary>
    public static string Text(KSweepResult result) => Summary(result).ToText();

    // One row and one column per k: the distance between the decoders of those two SAEs ("-" on the diagonal).
    private static ReportTable DistanceTable(string ensemble, int[] ks, double[][] distances)
    {
        var columns = new List<TableColumn<int>> { new(ensemble, i => $"k={ks[i]}") };
        for (int j = 0; j < ks.Length; j++)
        {
            int column = j;
            columns.Add(new($"k={ks[j]}", i => i == column ? "-" : F(distances[i][column], "F2")));
        }
        return TableColumn<int>.Table(columns, Enumerable.Range(0, ks.Length),
            $"Decoder L2 (Frobenius) distances between the {ensemble} SAEs (paper section 4.3).");
    }

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;
using Mfr.Experiments;

namespace Mfr.Cli.Rendering;

/// <summary>The sweep's tables: per k, baseline vs MFR held-out loss (paper tables 1 and 3), and decoder distances (paper section 4.3).</summary>
internal static class KSweepTables
{
    public static string Render(KSweepResult result)
    {
        var text = new StringBuilder();
        var table = new TextTable("k", "MFR loss", "baseline loss", "relative", "MFR L0", "base L0", "MFR dead", "base dead");
        foreach (var row in result.Rows)
            table.AddRow(row.K.ToString(CultureInfo.InvariantCulture), F(row.MfrLoss, "G4"), F(row.BaselineLoss, "G4"), SignedNumber.Percent(row.RelativeDifference),
                F(row.MfrL0, "F1"), F(row.BaselineL0, "F1"), row.MfrDead.ToString(CultureInfo.InvariantCulture), row.BaselineDead.ToString(CultureInfo.InvariantCulture));
        text.Append($"Held-out reconstruction loss (MSE) over {result.HeldOutSamples:N0} vectors; relative = (MFR - baseline) / baseline.\n");
        text.Append(table);
        if (result.MfrPairMmcs is { Length: > 0 } pairs)
        {
            // SPEC 2: report the MMCS between coupled SAEs beside their losses; near 1 they are one dictionary.
            text.Append(CultureInfo.InvariantCulture,
                $"MMCS between the coupled MFR SAEs at the last step: mean {pairs.Average():F3}, {pairs.Min():F3} to {pairs.Max():F3} over {pairs.Length} pair(s).\n");
            if (pairs.Min() >= FeatureConsistency.SameDictionaryMmcs)
                text.Append(CultureInfo.InvariantCulture, $"Note: the coupled SAEs learned the same dictionary (every pair >= {FeatureConsistency.SameDictionaryMmcs}): their agreement says nothing about the data's features. A smaller --beta keeps them apart.\n");
        }
        text.Append("\nDecoder L2 (Frobenius) distances between the SAEs of each run (paper section 4.3):\n");
        text.Append(DistanceTable("baseline", result.Config.Ks, result.BaselineDecoderDistances));
        text.Append(DistanceTable("MFR", result.Config.Ks, result.MfrDecoderDistances));
        return text.ToString();
    }

    private static string DistanceTable(string name, int[] ks, double[][] distances)
    {
        var table = new TextTable([name, .. ks.Select(k => $"k={k}")]);
        for (int i = 0; i < ks.Length; i++) table.AddRow([$"k={ks[i]}", .. distances[i].Select((v, j) => j == i ? "-" : F(v, "F2"))]);
        return table.ToString();
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

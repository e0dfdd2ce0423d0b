using System.Globalization;
using Mfr.Experiments;
using Mfr.Gpt2;

namespace Mfr.Cli.Rendering;

/// <summary>Loss recovered (SPEC 4): clean and zero-ablated cross-entropy, then per SAE the spliced cross-entropy and the fraction recovered.</summary>
internal static class LossRecoveredTables
{
    /// <summary>One ensemble's table of the GPT-2 experiment.</summary>
    public static string Render(Gpt2LossRecovered loss) =>
        $"\nLoss recovered, {loss.Ensemble} ({loss.Result.Predictions:N0} predictions): clean CE {loss.Result.CleanCrossEntropy:F4}, zero-ablated CE {loss.Result.ZeroAblatedCrossEntropy:F4}\n" +
        Table(loss.Ks, loss.Result);

    /// <summary>`mfr gpt2 loss-recovered`'s output.</summary>
    public static string Render(int[] ks, LossRecoveredResult result) =>
        $"{result.Predictions:N0} predictions: clean CE {result.CleanCrossEntropy:F4}, zero-ablated CE {result.ZeroAblatedCrossEntropy:F4}\n" + Table(ks, result);

    private static string Table(int[] ks, LossRecoveredResult result)
    {
        var table = new TextTable("SAE", "k", "CE spliced", "loss recovered");
        for (int m = 0; m < ks.Length; m++)
            table.AddRow($"sae-{m}", ks[m].ToString(CultureInfo.InvariantCulture), result.SplicedCrossEntropy[m].ToString("F4", CultureInfo.InvariantCulture), result.Fraction[m].ToString("F4", CultureInfo.InvariantCulture));
        return table.ToString();
    }
}

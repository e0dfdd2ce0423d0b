using Mfr.Gpt2;

namespace Mfr.Experiments;

/// <summary>
/// The JSON `mfr gpt2 loss-recovered --json FILE` writes (issue 15 item 7): the cross-entropies at full precision (the table
/// prints 4 decimals), with one record per SAE so <c>pd.json_normalize(d["saes"])</c> gives a table without reshaping.
/// </summary>
/// <param name="Predictions">Next-token predictions averaged over.</param>
/// <param name="CleanCrossEntropy">CE of the unmodified model.</param>
/// <param name="ZeroAblatedCrossEntropy">CE with the hook point zeroed.</param>
/// <param name="Saes">One per SAE folder, in the order given.</param>
/// <param name="Config">The settings measured with.</param>
public sealed record Gpt2LossRecoveredOutput(long Predictions, double CleanCrossEntropy, double ZeroAblatedCrossEntropy, IReadOnlyList<Gpt2LossRecoveredSae> Saes, Gpt2LossRecoveredConfig Config)
{
    /// <summary>Pairs <paramref name="result"/>'s per-SAE numbers with the folders and k of <paramref name="config"/>'s SAEs.</summary>
    public static Gpt2LossRecoveredOutput From(Gpt2LossRecoveredConfig config, int[] ks, LossRecoveredResult result) =>
        new(result.Predictions, result.CleanCrossEntropy, result.ZeroAblatedCrossEntropy,
            ks.Select((k, m) => new Gpt2LossRecoveredSae(config.Saes[m], k, result.SplicedCrossEntropy[m], result.Fraction[m])).ToArray(), config);
}

/// <summary>One SAE's line of <see cref="Gpt2LossRecoveredOutput"/>.</summary>
/// <param name="Folder">Its folder.</param>
/// <param name="K">k.</param>
/// <param name="SplicedCrossEntropy">CE with its reconstruction spliced in.</param>
/// <param name="Fraction">(CE_zero - CE_sae) / (CE_zero - CE_clean).</param>
public sealed record Gpt2LossRecoveredSae(string Folder, int K, double SplicedCrossEntropy, double Fraction);

using Mfr.Sae;

namespace Mfr.Gpt2;

/// <summary>Next-token cross-entropy clean, zero-ablated, and with each SAE's reconstruction spliced in.</summary>
/// <param name="CleanCrossEntropy">CE of the unmodified model (paper: 3.12).</param>
/// <param name="ZeroAblatedCrossEntropy">CE with the hook's output set to zero (paper: 132.27 for block-0 MLP).</param>
/// <param name="SplicedCrossEntropy">CE with each SAE's reconstruction in place of the hook's output (paper table 2).</param>
/// <param name="Fraction">Per SAE, (CE_zero - CE_sae) / (CE_zero - CE_clean).</param>
/// <param name="Predictions">Next-token predictions averaged over.</param>
public sealed record LossRecoveredResult(double CleanCrossEntropy, double ZeroAblatedCrossEntropy, double[] SplicedCrossEntropy, double[] Fraction, long Predictions);

/// <summary>Loss recovered (SPEC 4): how much of the model's next-token performance survives replacing a hook's output by an SAE reconstruction.</summary>
public static class LossRecovered
{
    /// <summary>Measures clean, zero-ablated and spliced CE over the token windows of the budget.</summary>
    public static LossRecoveredResult Measure(Gpt2Model model, ReadOnlySpan<ushort> tokens, long firstToken, long tokenBudget, int contextLength,
        IReadOnlyList<TopKSae> saes, int layer = 0, Gpt2HookPoint point = Gpt2HookPoint.MlpOutput, CancellationToken cancellation = default)
    {
        // A hook at a block past the model's last is never reached: the "zero-ablated" and spliced losses would be the clean one.
        model.ThrowIfNotABlock(layer);
        model.ThrowIfNotAContextLength(contextLength);
        foreach (var sae in saes)
            if (sae.Config.InputDim != model.Config.EmbeddingDim)
                throw new ArgumentException($"SAE input width {sae.Config.InputDim} does not match the model's width {model.Config.EmbeddingDim}.");
        var windows = TokenWindows.Cut(tokens, firstToken, tokenBudget, contextLength);
        using var workspace = model.CreateWorkspace();
        var saeWorkspaces = saes.Select(sae => new SaeWorkspace(sae.Config, contextLength)).ToArray();
        try
        {
            double clean = 0, zero = 0;
            var spliced = new double[saes.Count];
            long predictions = 0;
            var window = new int[contextLength];
            foreach (var (start, length) in windows)
            {
                cancellation.ThrowIfCancellationRequested();
                for (int t = 0; t < length; t++) window[t] = tokens[(int)(start + t)];
                var span = window.AsSpan(0, length);
                var cleanResult = model.ComputeLoss(span, 1, length, workspace);
                long count = cleanResult.PredictionCount;
                clean += cleanResult.MeanCrossEntropy * count;
                zero += model.ComputeLoss(span, 1, length, workspace, Gpt2Hooks.ZeroAblate(point, layer)).MeanCrossEntropy * count;
                for (int m = 0; m < saes.Count; m++)
                {
                    var sae = saes[m];
                    var saeWorkspace = saeWorkspaces[m];
                    var hook = Gpt2Hooks.Replace(point, layer, activations =>
                    {
                        SaeComputation.Forward(sae, activations, length, saeWorkspace);
                        saeWorkspace.Reconstruction[..activations.Length].CopyTo(activations);
                    });
                    spliced[m] += model.ComputeLoss(span, 1, length, workspace, hook).MeanCrossEntropy * count;
                }
                predictions += count;
            }
            clean /= predictions;
            zero /= predictions;
            var splicedMeans = spliced.Select(s => s / predictions).ToArray();
            return new LossRecoveredResult(clean, zero, splicedMeans, splicedMeans.Select(s => (zero - s) / (zero - clean)).ToArray(), predictions);
        }
        finally
        {
            foreach (var w in saeWorkspaces) w.Dispose();
        }
    }
}

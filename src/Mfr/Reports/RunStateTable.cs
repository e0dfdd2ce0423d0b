using System.Globalization;
using Mfr.Evaluation;
using Mfr.Training;

namespace Mfr.Reports;

/// <summary>
/// The table of a training run's state at its last step: per SAE, the last batch's loss and L0, the dead
/// latents, and its re-initialisations. "Dead" depends on the window it is counted over, so each count
/// names its window: the training log's (no firing on the last <see cref="TrainingConfig.DeadLatentWindowSamples"/>
/// training samples; a run shorter than that cannot have any, and shows "n/a") and, when the run saved its
/// held-out evaluation (final/evaluation.json), the latents that fired on none of its held-out samples, the
/// count figure 5b's "never" bar draws.
/// </summary>
internal static class RunStateTable
{
    /// <summary>The table for the run of <paramref name="specification"/>.</summary>
    /// <param name="specification">The run's run.json.</param>
    /// <param name="last">The last step line of its log.</param>
    /// <param name="reinitializations">Its re-initialisation lines.</param>
    /// <param name="heldOut">Its saved held-out evaluation, or null when it has none.</param>
    public static ReportTable Build(RunSpecification specification, StepMetrics last, IReadOnlyList<ReinitializationEvent> reinitializations, HeldOutEvaluation? heldOut)
    {
        var training = specification.Training;
        // The trainer's window in whole steps (Trainer: ceil(window / batch), at least 1).
        long windowSteps = Math.Max(1, (training.DeadLatentWindowSamples + training.BatchSize - 1) / training.BatchSize);
        bool windowFits = last.Step >= windowSteps;
        long windowSamples = windowSteps * training.BatchSize;
        bool withHeldOut = heldOut is not null && heldOut.Saes.Length == last.Losses.Length;
        var header = new List<string> { "SAE", "k", "loss (last batch)", "L0 (last batch)", $"dead (last {N(windowSamples)} training samples)" };
        if (withHeldOut) header.Add($"dead ({N(heldOut!.Saes[0].Samples)} held-out samples)");
        header.Add("re-inits");
        string caption = $"State at the last step ({N(last.Step)}). Dead latents fired on no sample of the window each column names: " +
            $"the training log's last {N(windowSteps)} steps" +
            (windowFits ? "" : $" (longer than this {N(last.Step)}-step run, so none can be dead yet: n/a)") +
            (withHeldOut ? " and the final SAEs' held-out evaluation (the \"never\" bar of paper figure 5b)." : ".");
        // Right-aligned even when every cell is n/a, like the counts beside it.
        var table = new ReportTable(header, caption).WithAlignment(4, ColumnAlignment.Right);
        for (int m = 0; m < last.Losses.Length; m++)
        {
            var cells = new List<string>
            {
                N(m), N(specification.Saes[m].K), last.Losses[m].ToString("G4", CultureInfo.InvariantCulture), last.L0[m].ToString("F1", CultureInfo.InvariantCulture),
                windowFits ? N(last.DeadLatents[m]) : "n/a",
            };
            if (withHeldOut) cells.Add(N(heldOut!.Saes[m].DeadLatents));
            cells.Add(N(reinitializations.Count(r => r.Sae == m)));
            table.AddRow([.. cells]);
        }
        return table;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

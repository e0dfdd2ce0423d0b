using Mfr.Data;
using Mfr.Experiments;
using Mfr.Regularization;
using Mfr.Reports;
using Mfr.Training;

namespace Mfr.Tests.Reports;

public sealed class KSweepResultTablesTests
{
    private static KSweepResult Result(double[]? pairMmcs, IReadOnlyList<Finding>? findings) => new(
        new KSweepConfig(new DataSpecification("file", Path: "train.npy"), 16, [2, 4], new TrainingConfig(SampleCount: 100, BatchSize: 50), new MfrConfig()),
        [new KSweepRow(2, 1.0, 0.9, -0.1, 2, 2, 0, 1), new KSweepRow(4, 0.8, 0.7, -0.125, 4, 4, 0, 0)],
        [[0, 1.234], [1.234, 0]], [[0, 0.5], [0.5, 0]], HeldOutSamples: 1200, WallSeconds: 1, pairMmcs, findings);

    public sealed class TheTextMethod
    {
        [Fact]
        public void PrintsTheLossTableTheCouplingTheDistancesAndTheFindings_Snapshot()
        {
            // Given
            var result = Result([0.41], [new Finding(FindingKind.ManyDeadLatents, FindingSeverity.Note, "1 of 2 MFR SAE(s) left at least 10% of their latents dead.", "MFR")]);

            // When
            string text = KSweepResultTables.Text(result);

            // Then
            Assert.Equal(
                """
                Held-out reconstruction loss (MSE) over 1,200 vectors; relative = (MFR - baseline) / baseline.
                k  MFR loss  baseline loss  relative  MFR L0  baseline L0  MFR dead  baseline dead
                -  --------  -------------  --------  ------  -----------  --------  -------------
                2       0.9              1   -10.00%     2.0          2.0         1              0
                4       0.7            0.8   -12.50%     4.0          4.0         0              0
                dead: latents that never fired on those 1,200 held-out vectors.
                MMCS between the coupled MFR SAEs at the last step: mean 0.410, 0.410 to 0.410 over 1 pair(s).

                Decoder L2 (Frobenius) distances between the baseline SAEs (paper section 4.3).
                baseline   k=2   k=4
                --------  ----  ----
                k=2          -  1.23
                k=4       1.23     -

                Decoder L2 (Frobenius) distances between the MFR SAEs (paper section 4.3).
                MFR   k=2   k=4
                ---  ----  ----
                k=2     -  0.50
                k=4  0.50     -

                Findings:
                note: 1 of 2 MFR SAE(s) left at least 10% of their latents dead.

                """.ReplaceLineEndings("\n"),
                text);
        }

        [Fact]
        public void SaysNothingOfCoupling_WithoutAPenalty_NorOfFindings_WhenThereAreNone()
        {
            string text = KSweepResultTables.Text(Result(null, []));

            Assert.DoesNotContain("coupled MFR SAEs", text);
            Assert.DoesNotContain("Findings", text);
        }
    }
}

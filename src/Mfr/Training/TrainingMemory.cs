using System.Globalization;
using Mfr.Data;
using Mfr.Numerics;
using Mfr.Regularization;
using Mfr.Sae;

namespace Mfr.Training;

/// <summary>
/// Memory a training run needs, estimated from its shapes before anything is allocated (issue 13, class 9):
/// `--latents 1e8` or `--batch-size 1e9` must be refused with the figure, not run until the OS kills the
/// process. Legend: B batch, d input width, h latents, k active latents, n true features (synthetic data).
/// The terms follow the allocation sites (float32 unless noted):
/// <list type="bullet">
/// <item><see cref="TopKSae"/>: W and D <c>[h, d]</c>, b and the row norms <c>[h]</c>, b_dec <c>[d]</c>.</item>
/// <item><see cref="SaeOptimizer"/>: two Adam moments of W, b and b_dec.</item>
/// <item><see cref="SaeWorkspace"/>: pre-activations <c>[B, h]</c>, reconstruction and its gradient <c>[B, d]</c> (and the
/// centred input with a decoder bias), dL/dW and dL/dD <c>[h, d]</c>, dL/db <c>[h]</c>, dL/db_dec <c>[d]</c>, four
/// <c>[B, k]</c> arrays of 4-byte indices and values, fire counts <c>[17 h]</c> ints, b_dec sums <c>[d]</c> doubles.</item>
/// <item><see cref="Trainer"/>: the batch <c>[B, d]</c> and the last-fired steps <c>[h]</c> longs per SAE.</item>
/// <item><see cref="MmcsPenalty"/>, per pair of SAEs a, b: the cosine matrix <c>[h_a, h_b]</c> and, while it is
/// refreshed, the unit-normalised decoders <c>[h_a + h_b, d]</c>.</item>
/// <item>Synthetic data: the true features <c>[n, d]</c> in the source and in the ground-truth evaluator, and the
/// evaluator's cosines <c>[h, n]</c> of one SAE at a time; SynthSAEBench also its construction (see SynthSaeBenchBytes).</item>
/// <item><see cref="AuxKLoss"/> when it is on (see AuxKBytes).</item>
/// <item>Saving an SAE: the transposed encoder and a copy of D, <c>[h, d]</c> each, one SAE at a time.</item>
/// </list>
/// A file is memory-mapped and read a batch at a time, so only its shuffle's row indices count (8 bytes a row of one window).
/// </summary>
public static class TrainingMemory
{
    private const double FloatBytes = sizeof(float);

    /// <summary>Estimated bytes a run of <paramref name="specification"/> allocates, on data of width <paramref name="dimension"/>.</summary>
    /// <param name="specification">The run (SAE shapes, batch size, MFR mode, data kind).</param>
    /// <param name="dimension">d of the data (SAE input widths are checked against it elsewhere).</param>
    public static long EstimateBytes(RunSpecification specification, int dimension)
    {
        var data = specification.Data;
        double bytes = TrainerBytes(specification.Training.BatchSize, specification.Saes, dimension, specification.Regularization, specification.Training.AuxKCoefficient,
            specification.Training.EncoderPrecision);
        double largestLatents = specification.Saes.Max(s => (double)s.LatentCount);
        if (data.Kind == DataSpecification.SyntheticKind)
        {
            var synthetic = data.Synthetic ?? new Synthetic.SyntheticDataConfig();
            double n = synthetic.FeatureCount;
            bytes += FloatBytes * (2 * n * dimension + largestLatents * n);
            bytes += 2 * FloatBytes * specification.Training.BatchSize * synthetic.ActiveFeatures;
        }
        else if (data.Kind == DataSpecification.SynthSaeBenchKind)
        {
            bytes += SynthSaeBenchBytes(data.SynthSaeBenchOrDefault, dimension, largestLatents);
        }
        else
        {
            var shuffle = new ArrayFileSourceOptions { Path = data.Path ?? "" };
            bytes += sizeof(long) * (double)shuffle.ChunkRows * shuffle.WindowChunks;
        }
        return Saturate(bytes);
    }

    /// <summary>
    /// SynthSAEBench (<see cref="Synthetic.SynthSaeBench.SynthSaeBenchSource"/>): the directions <c>[n, d]</c> in the source and in the
    /// ground-truth evaluator, the evaluator's cosines <c>[h, n]</c>; while the directions are orthogonalised, their gradient and
    /// two Adam moments <c>[n, d]</c> and a transposed copy; per-feature tables (about 8 floats of n) and the copula factor twice
    /// <c>[n, rank]</c>; per thread a sample's scratch (4 n floats).
    /// </summary>
    private static double SynthSaeBenchBytes(Synthetic.SynthSaeBench.SynthSaeBenchConfig benchmark, int dimension, double largestLatents)
    {
        double n = benchmark.FeatureCount, d = dimension;
        double perThreadScratch = 4 * n * Environment.ProcessorCount;
        return FloatBytes * (2 * n * d + largestLatents * n + 4 * n * d + 8 * n + 2 * n * benchmark.CorrelationRank + perThreadScratch);
    }

    /// <summary>Estimated bytes of a <see cref="Trainer"/> (SAEs, optimiser state, workspaces, batch, MFR penalty) and of saving its SAEs.</summary>
    /// <param name="batchSize">B.</param>
    /// <param name="saes">One config per SAE.</param>
    /// <param name="dimension">d of the data.</param>
    /// <param name="mfr">MFR settings (the penalty's matrices count when it is on).</param>
    /// <param name="auxKCoefficient">alpha of the AuxK loss (its buffers count when it is on, &gt; 0).</param>
    /// <param name="encoder">The encoder path; int8-select adds its quantised buffers (<see cref="Int8SelectBuffers"/>).</param>
    public static long EstimateTrainerBytes(int batchSize, IReadOnlyList<SaeConfig> saes, int dimension, MfrConfig? mfr, double auxKCoefficient = 0,
        EncoderPrecision encoder = EncoderPrecision.Fp32)
        => Saturate(TrainerBytes(batchSize, saes, dimension, mfr, auxKCoefficient, encoder));

    // In double: h d of a hostile --latents overflows a long long before it reaches the comparison.
    private static double TrainerBytes(int batchSize, IReadOnlyList<SaeConfig> saes, int dimension, MfrConfig? mfr, double auxKCoefficient,
        EncoderPrecision encoder)
    {
        double b = batchSize, d = dimension;
        double bytes = FloatBytes * b * d;
        double largestSave = 0;
        foreach (var sae in saes)
        {
            double h = sae.LatentCount, k = sae.K, hd = h * d;
            double parameters = FloatBytes * (2 * hd + 2 * h + d);
            double moments = FloatBytes * 2 * (hd + h + d);
            double workspace = FloatBytes * (b * h + 2 * b * d + (sae.UseDecoderBias ? b * d : 0) + 2 * hd + h + d)
                + 4.0 * 4 * b * k + sizeof(int) * (1.0 + SaeStepKernels.FireCountParts) * h + (sae.UseDecoderBias ? sizeof(double) * d : 0)
                + sizeof(long) * h;
            bytes += parameters + moments + workspace + (auxKCoefficient > 0 ? AuxKBytes(b, d, h) : 0)
                + (encoder == EncoderPrecision.Int8Select ? Int8SelectBuffers.Bytes(batchSize, dimension, sae.LatentCount) : 0);
            largestSave = Math.Max(largestSave, FloatBytes * 2 * hd);
        }
        if (mfr is { CouplesSaes: true })
        {
            double largestRefresh = 0;
            for (int a = 0; a < saes.Count; a++)
            {
                for (int c = a + 1; c < saes.Count; c++)
                {
                    double ha = saes[a].LatentCount, hc = saes[c].LatentCount;
                    bytes += FloatBytes * ha * hc + 3.0 * sizeof(int) * (ha + hc);
                    largestRefresh = Math.Max(largestRefresh, FloatBytes * (ha + hc) * d);
                }
            }
            bytes += largestRefresh;
        }
        return bytes + largestSave;
    }

    /// <summary>
    /// <see cref="AuxKLoss"/>'s buffers for one SAE: the dead latents' pre-activations <c>[B, h]</c>, four <c>[B, k_aux]</c> arrays
    /// (indices, values, activations, their gradient; k_aux at most min(d / 2, h)), the residual, its estimate and gradient
    /// <c>[B, d]</c> each, the decoder-path gradient <c>[h, d]</c>, the bias-path gradient <c>[h]</c> and the dead list <c>[h]</c> ints.
    /// </summary>
    private static double AuxKBytes(double b, double d, double h)
    {
        double kAux = Math.Min(Math.Max(1, Math.Floor(d / 2)), h);
        return FloatBytes * (b * h + 4 * b * kAux + 3 * b * d + h * d + h) + sizeof(int) * h;
    }

    private static long Saturate(double bytes) => bytes >= long.MaxValue ? long.MaxValue : (long)Math.Ceiling(bytes);

    /// <summary>Memory the process may use: the machine's (or the container's) limit as the runtime sees it.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Refuses a run whose estimate exceeds <paramref name="availableBytes"/>, before anything is allocated.</summary>
    /// <param name="estimateBytes">From <see cref="EstimateBytes"/> or <see cref="EstimateTrainerBytes"/>.</param>
    /// <param name="availableBytes">Usually <see cref="AvailableBytes"/>.</param>
    /// <param name="shape">The shape in the user's terms, for the message ("2 SAEs, h 100000000, d 6, batch 50").</param>
    /// <exception cref="ArgumentException">The run would not fit; the message gives both figures.</exception>
    public static void Require(long estimateBytes, long availableBytes, string shape)
    {
        if (estimateBytes <= availableBytes) return;
        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"Training {shape} needs about {Format(estimateBytes)} of memory (SAE weights, Adam moments, per-SAE batch workspaces), more than the {Format(availableBytes)} available; use a smaller --latents or --batch-size, or fewer SAEs."));
    }

    /// <summary>The shape in the user's terms, for <see cref="Require"/>.</summary>
    public static string DescribeShape(int batchSize, IReadOnlyList<SaeConfig> saes, int dimension)
    {
        string latents = string.Join(",", saes.Select(s => s.LatentCount).Distinct());
        return string.Create(CultureInfo.InvariantCulture, $"{saes.Count} SAE(s) of h {latents} on d {dimension} at batch {batchSize}");
    }

    /// <summary>Bytes as "12.3 GB" / "45.6 MB".</summary>
    internal static string Format(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MB");
}

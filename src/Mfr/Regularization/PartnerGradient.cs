using Mfr.Numerics;

namespace Mfr.Regularization;

/// <summary>
/// The MFR penalty's gradient for one SAE of an ensemble in a single pass over its decoder rows
/// (SPEC 2, assignment held): for row i, <c>g_i = sum over the SAE's pairs p, in pair order, of
/// c_p D_partner(p, i)</c>, then through the row normalisation
/// <c>dL/dW_i += (g_i - D_i (D_i . g_i)) / ||W_i||</c>; on the way, the matched cosines
/// <c>D_i . D_partner(p, i)</c> of the pairs that ask for them.
/// </summary>
/// <remarks>
/// The same arithmetic, in the same order, as accumulating every pair into a dense [h, d] buffer with
/// <see cref="MatchedRows.AddScaledPartners"/>, projecting it with
/// <see cref="Sae.SaeStepKernels.ProjectDecoderGradient"/> and measuring the cosines with
/// <see cref="MatchedRows.MeanCosine"/> (a test checks bit equality), but without the buffers: at the
/// GPT-2 shape (5 SAEs, h 3072, d 768, 10 pairs) those passes moved about 1 GB per step. Rows are
/// split between threads and each row is computed by one part, so results do not depend on the thread
/// count. <see cref="Add"/> runs the variant <see cref="KernelRegistry.PartnerGradient"/> selects;
/// <see cref="PartnerGradientReference"/> is the specification.
/// </remarks>
internal static unsafe class PartnerGradient
{
    /// <summary>Rows per parallel part.</summary>
    private const int RowsPerPart = 32;

    /// <summary>One pair seen from this SAE: the partner's decoder, the partner row of each of this SAE's rows (-1: none), c_p.</summary>
    /// <param name="decoder">The partner SAE's decoder rows, <c>[h_partner, d]</c>; native, not moved by the GC.</param>
    /// <param name="partnerForRow">Pinned, <c>[h]</c>: partner row of each row of this SAE, or -1.</param>
    /// <param name="coefficient">c_p: <c>-beta w / (pairs n_p)</c>.</param>
    /// <param name="dots">Null, or pinned <c>[h]</c>: receives <c>D_i . D_partner(i)</c> (0 where unmatched).</param>
    internal readonly struct Partner(float* decoder, int* partnerForRow, float coefficient, float* dots)
    {
        public readonly float* Decoder = decoder;
        public readonly int* PartnerForRow = partnerForRow;
        public readonly float Coefficient = coefficient;
        public readonly float* Dots = dots;
    }

    /// <summary>Adds the penalty gradient of one SAE to its weight gradient (see the class summary).</summary>
    /// <param name="decoder">D of this SAE, <c>[h, d]</c>; native memory.</param>
    /// <param name="rowNorms">||W_i||, <c>[h]</c>; rows with norm 0 get nothing.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="dimension">d.</param>
    /// <param name="partners">The SAE's pairs in pair order; at most <see cref="MaxPartners"/>.</param>
    /// <param name="partnerCount">Pairs used.</param>
    /// <param name="weightGradient">dL/dW of this SAE, <c>[h, d]</c>, accumulated; native memory.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static void Add(float* decoder, float* rowNorms, int latentCount, int dimension, Partner* partners, int partnerCount, float* weightGradient, int maxThreads)
    {
        if (partnerCount > MaxPartners) throw new ArgumentException($"At most {MaxPartners} partners, got {partnerCount}.");
        KernelRegistry.PartnerGradient.Selected.Add(decoder, rowNorms, latentCount, dimension, partners, partnerCount, weightGradient, maxThreads);
    }

    /// <summary>The Vector&lt;T&gt; variant of <see cref="Add"/>: rows split between threads, one row buffer per part.</summary>
    internal static void AddFast(float* decoder, float* rowNorms, int latentCount, int dimension, Partner* partners, int partnerCount, float* weightGradient, int maxThreads)
    {
        var work = new Work
        {
            Decoder = decoder,
            RowNorms = rowNorms,
            LatentCount = latentCount,
            Dimension = dimension,
            Partners = partners,
            PartnerCount = partnerCount,
            WeightGradient = weightGradient,
        };
        int threads = (long)latentCount * dimension * partnerCount < (1 << 16) ? 1 : maxThreads;
        WorkerPool.Run(ref work, (latentCount + RowsPerPart - 1) / RowsPerPart, threads);
    }

    /// <summary>Largest ensemble minus one (the partners of one SAE).</summary>
    public const int MaxPartners = 63;

    private struct Work : IParallelWork
    {
        public float* Decoder, RowNorms, WeightGradient;
        public Partner* Partners;
        public int LatentCount, Dimension, PartnerCount;

        public readonly void Execute(int part)
        {
            int d = Dimension;
            float* row = ScratchBuffers.Get(ScratchBuffers.PartLocal, d);
            int first = part * RowsPerPart, end = Math.Min(LatentCount, first + RowsPerPart);
            for (int i = first; i < end; i++)
            {
                float* direction = Decoder + (nint)i * d;
                bool any = false;
                for (int p = 0; p < PartnerCount; p++)
                {
                    ref readonly Partner partner = ref Partners[p];
                    int j = partner.PartnerForRow[i];
                    if (partner.Dots != null) partner.Dots[i] = j < 0 ? 0 : MatchedRows.Dot(direction, partner.Decoder + (nint)j * d, d);
                    if (j < 0) continue;
                    if (!any) new Span<float>(row, d).Clear();
                    any = true;
                    MatchedRows.AddScaled(partner.Decoder + (nint)j * d, partner.Coefficient, row, d);
                }
                if (!any || RowNorms[i] == 0) continue;
                Project(direction, row, 1f / RowNorms[i], WeightGradient + (nint)i * d, d);
            }
        }

        /// <summary><c>target += (g - D (D . g)) * inverseNorm</c>, unfused, as <see cref="Sae.SaeStepKernels.ProjectDecoderGradient"/>.</summary>
        private static void Project(float* direction, float* gradient, float inverseNorm, float* target, int d)
        {
            float along = MatchedRows.Dot(direction, gradient, d);
            var alongVector = new System.Numerics.Vector<float>(along);
            var inverseNormVector = new System.Numerics.Vector<float>(inverseNorm);
            int t = 0;
            for (; t <= d - System.Numerics.Vector<float>.Count; t += System.Numerics.Vector<float>.Count)
            {
                var step = (System.Numerics.Vector.Load(gradient + t) - System.Numerics.Vector.Load(direction + t) * alongVector) * inverseNormVector;
                System.Numerics.Vector.Store(System.Numerics.Vector.Load(target + t) + step, target + t);
            }
            for (; t < d; t++) target[t] += (gradient[t] - direction[t] * along) * inverseNorm;
        }
    }
}

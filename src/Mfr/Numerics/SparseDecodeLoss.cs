using System.Numerics;
using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// The fast <see cref="SparseKernelsReference.DecodeLossAndDots"/> (issue 16 item 1): decode, decoder bias,
/// squared error, its gradient and the gather-dots of that gradient, fused per sample when the decoder fits
/// in cache. A sample's k decoder rows (32 KB at the synthetic shape) are read from L2 once by the decode and
/// then again from L1 by the dots, and x^, x and dL/dx^ are touched while their row is in L1, instead of three
/// passes over [B, d] buffers that do not fit in L2 (decode, loss, dots; README "Speed" has the measured effect).
/// Larger decoders (h d above <see cref="CachedDecoderFloats"/>) keep the slab-swept decode and dots
/// of <see cref="SparseKernels"/> with a residual pass between them.
/// <para>
/// Every value is computed in the same order as the unfused kernels: x^ by
/// <see cref="SparseRowKernels{TOps, TVector}.DecodeSample"/>, then <c>+ b_dec</c>, <c>x^ - x</c> and its product with
/// the scale one float operation each, the dots by <see cref="SparseRowKernels{TOps, TVector}.GatherDotsSample"/>;
/// so x^, dL/dx^ and dL/dz are bitwise those of the passes they replace. The loss adds, per part, the
/// <c>Vector&lt;float&gt;</c> dot of each difference vector in double, row by row, over <see cref="LossParts"/> fixed
/// row ranges added in order: independent of the thread count, and equal to the flat pass over the range when d is a
/// multiple of the vector width (otherwise each row has its own scalar tail).
/// </para>
/// Legend: B = rowCount, k active latents, d = dimension, h latent rows.
/// </summary>
internal static unsafe class SparseDecodeLoss
{
    /// <summary>Row ranges of the loss's partial sums (fixed, so the loss is summed in the same order on any machine).</summary>
    public const int LossParts = 64;

    /// <summary>Decoder floats that stay in cache (as <see cref="SparseKernels"/>' slab threshold): larger decoders are not fused.</summary>
    public const long CachedDecoderFloats = 512 * 1024;

    /// <summary>See <see cref="SparseKernelsReference.DecodeLossAndDots"/> (shapes and indices checked by the caller).</summary>
    public static double Run(
        ReadOnlySpan<int> indices, ReadOnlySpan<float> coefficients, ReadOnlySpan<float> rows, ReadOnlySpan<float> rowBias, ReadOnlySpan<float> targets,
        int rowCount, int k, int dimension, Span<float> output, Span<float> gradient, Span<float> dots, int latentRows, bool avx512, int maxThreads)
    {
        long count = (long)rowCount * dimension;
        if (count == 0)
        {
            dots[..(rowCount * k)].Clear();
            return 0;
        }
        bool fused = (long)latentRows * dimension <= CachedDecoderFloats;
        if (!fused) SparseKernels.DecodeFast(indices, coefficients, rows, rowCount, k, dimension, output, latentRows, avx512, maxThreads);
        double* partial = stackalloc double[LossParts];
        fixed (int* pi = indices)
        fixed (float* pc = coefficients, pr = rows, pb = rowBias, px = targets, po = output, pg = gradient, pd = dots)
        {
            var work = new Work
            {
                Indices = pi,
                Coefficients = pc,
                Rows = pr,
                RowBias = rowBias.IsEmpty ? null : pb,
                Targets = px,
                Output = po,
                Gradient = pg,
                Dots = pd,
                Partial = partial,
                RowCount = rowCount,
                K = k,
                Dimension = dimension,
                Scale = (float)(2.0 / count),
                Fused = fused,
                Avx512 = avx512,
            };
            int threads = (long)rowCount * Math.Max(1, k) * dimension < (1 << 17) ? 1 : maxThreads;
            WorkerPool.Run(ref work, LossParts, threads);
        }
        if (!fused) SparseKernels.GatherDotsFast(indices, gradient, rows, rowCount, k, dimension, dots, latentRows, avx512, maxThreads);
        double total = 0;
        for (int part = 0; part < LossParts; part++) total += partial[part];
        return total / count;
    }

    private struct Work : IParallelWork
    {
        public int* Indices;
        public float* Coefficients, Rows, RowBias, Targets, Output, Gradient, Dots;
        public double* Partial;
        public int RowCount, K, Dimension;
        public float Scale;
        public bool Fused, Avx512;

        public readonly void Execute(int part)
        {
            int first = (int)((long)RowCount * part / LossParts), last = (int)((long)RowCount * (part + 1) / LossParts);
            int k = K, dimension = Dimension;
            double total = 0;
            for (int sample = first; sample < last; sample++)
            {
                int* indices = Indices + (long)sample * k;
                float* output = Output + (long)sample * dimension;
                float* gradient = Gradient + (long)sample * dimension;
                if (Fused)
                {
                    if (Avx512) SparseRowKernels<VectorOps512, Vector512<float>>.DecodeSample(indices, Coefficients + (long)sample * k, k, Rows, dimension, 0, dimension, output);
                    else SparseRowKernels<VectorOps256, Vector256<float>>.DecodeSample(indices, Coefficients + (long)sample * k, k, Rows, dimension, 0, dimension, output);
                }
                total += Residual(output, Targets + (long)sample * dimension, RowBias, dimension, Scale, gradient);
                if (Fused && dimension > 0)
                {
                    float* dots = Dots + (long)sample * k;
                    if (Avx512) SparseRowKernels<VectorOps512, Vector512<float>>.GatherDotsSample(indices, gradient, k, Rows, dimension, 0, dimension, dots, add: false);
                    else SparseRowKernels<VectorOps256, Vector256<float>>.GatherDotsSample(indices, gradient, k, Rows, dimension, 0, dimension, dots, add: false);
                }
            }
            Partial[part] = total;
        }

        /// <summary>
        /// One row: <c>x^ += b_dec</c> (when given), <c>gradient = (x^ - x) * scale</c>; returns the sum of squared
        /// differences, a <c>Vector&lt;float&gt;</c> dot per vector added in double, then the scalar tail.
        /// </summary>
        private static double Residual(float* output, float* target, float* bias, int dimension, float scale, float* gradient)
        {
            double total = 0;
            var scaleVector = new Vector<float>(scale);
            int t = 0;
            for (; t <= dimension - Vector<float>.Count; t += Vector<float>.Count)
            {
                var reconstruction = Vector.Load(output + t);
                if (bias != null)
                {
                    reconstruction += Vector.Load(bias + t);
                    reconstruction.Store(output + t);
                }
                var difference = reconstruction - Vector.Load(target + t);
                (difference * scaleVector).Store(gradient + t);
                total += Vector.Dot(difference, difference);
            }
            for (; t < dimension; t++)
            {
                float reconstruction = output[t];
                if (bias != null) output[t] = reconstruction += bias[t];
                float difference = reconstruction - target[t];
                gradient[t] = difference * scale;
                total += difference * difference;
            }
            return total;
        }
    }
}

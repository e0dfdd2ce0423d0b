using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// The cheap dense passes of an SAE step around the big kernels (encoder GEMM, TopK, sparse decode and
/// scatter): bias add, ReLU and firing counts, squared error and its gradient, the projection of dL/dD
/// through the row normalisation. Each runs on the <see cref="WorkerPool"/> in a fixed split of the rows
/// (<see cref="ReductionChunks"/>, or latents) with no allocation, and every output element and partial
/// sum is computed by one part in a fixed order, so results are bitwise the same for any thread count
/// (a resumed run reproduces an uninterrupted one). The portable variant of <see cref="KernelRegistry.SaeStep"/>;
/// <see cref="SaeStepKernelsReference"/> is the specification. Legend: B batch, d input width, h latents, k active.
/// </summary>
internal static unsafe class SaeStepKernels
{
    /// <summary>
    /// Row chunks of the reductions; fixed (not the thread count) so the loss is summed in the same order
    /// on any machine: 64 partial sums in double, added in chunk order.
    /// </summary>
    public const int ReductionChunks = 64;

    /// <summary>Row ranges of the firing counts; each has its own histogram of h counts in <see cref="SaeWorkspace"/>.</summary>
    public const int FireCountParts = 16;

    /// <summary>Latents per part of <see cref="ProjectDecoderGradient"/>.</summary>
    private const int LatentsPerPart = 32;

    /// <summary><c>matrix[b, :] += row</c> for every row b.</summary>
    /// <param name="matrix">Updated in place, <c>[rowCount, columnCount]</c>.</param>
    /// <param name="row">Added to every row, <c>[columnCount]</c>.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static void AddRowVector(Span<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, int maxThreads)
    {
        fixed (float* pm = matrix, pr = row)
        {
            var work = new RowVectorWork { Source = pm, Row = pr, Destination = pm, RowCount = rowCount, ColumnCount = columnCount, Subtract = false };
            WorkerPool.Run(ref work, ReductionChunks, maxThreads);
        }
    }

    /// <summary><c>destination[b, :] = matrix[b, :] - row</c> for every row b.</summary>
    /// <param name="matrix">Input, <c>[rowCount, columnCount]</c>.</param>
    /// <param name="row">Subtracted from every row, <c>[columnCount]</c>.</param>
    /// <param name="rowCount">Rows.</param>
    /// <param name="columnCount">Columns.</param>
    /// <param name="destination">Output, <c>[rowCount, columnCount]</c>.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static void SubtractRowVector(ReadOnlySpan<float> matrix, ReadOnlySpan<float> row, int rowCount, int columnCount, Span<float> destination, int maxThreads)
    {
        fixed (float* pm = matrix, pr = row, pd = destination)
        {
            var work = new RowVectorWork { Source = pm, Row = pr, Destination = pd, RowCount = rowCount, ColumnCount = columnCount, Subtract = true };
            WorkerPool.Run(ref work, ReductionChunks, maxThreads);
        }
    }

    /// <summary>Returns mean((x^ - x)^2) and writes its gradient 2 (x^ - x) / (B d).</summary>
    /// <param name="reconstruction">x^, <c>[B, d]</c>.</param>
    /// <param name="inputs">x, <c>[B, d]</c>.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="dimension">d.</param>
    /// <param name="gradient">dL/dx^, <c>[B, d]</c>, overwritten.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static double SquaredErrorAndGradient(ReadOnlySpan<float> reconstruction, ReadOnlySpan<float> inputs, int batchSize, int dimension, Span<float> gradient, int maxThreads)
    {
        long count = (long)batchSize * dimension;
        if (count == 0) return 0;
        double* partial = stackalloc double[ReductionChunks];
        fixed (float* pr = reconstruction, px = inputs, pg = gradient)
        {
            var work = new SquaredErrorWork { Reconstruction = pr, Inputs = px, Gradient = pg, Partial = partial, RowCount = batchSize, Dimension = dimension, Scale = (float)(2.0 / count) };
            WorkerPool.Run(ref work, ReductionChunks, maxThreads);
        }
        double total = 0;
        for (int chunk = 0; chunk < ReductionChunks; chunk++) total += partial[chunk];
        return total / count;
    }

    /// <summary>
    /// z = the TopK values, or with <paramref name="relu"/> their ReLU (<c>v &lt; 0 ? 0 : v</c>); and per latent
    /// the number of entries where z != 0. Integer counts, so the per-part histograms add up exactly.
    /// </summary>
    /// <param name="indices">Active latents, <c>[B, k]</c>, each in [0, h).</param>
    /// <param name="values">TopK values, <c>[B, k]</c>.</param>
    /// <param name="rowCount">B.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="relu">Apply ReLU after TopK.</param>
    /// <param name="activations">z, <c>[B, k]</c>, overwritten.</param>
    /// <param name="fireCounts">Per latent, entries with z != 0, <c>[h]</c>, overwritten.</param>
    /// <param name="partialCounts">Scratch, <c>[FireCountParts, h]</c>.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static void Activate(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, int rowCount, int k, int latentCount, bool relu, Span<float> activations, Span<int> fireCounts, Span<int> partialCounts, int maxThreads)
    {
        fixed (int* pi = indices, pf = fireCounts, pp = partialCounts)
        fixed (float* pv = values, pa = activations)
        {
            var work = new ActivateWork { Indices = pi, Values = pv, Activations = pa, PartialCounts = pp, RowCount = rowCount, K = k, LatentCount = latentCount, Relu = relu };
            WorkerPool.Run(ref work, FireCountParts, maxThreads);
            for (int latent = 0; latent < latentCount; latent++)
            {
                int total = 0;
                for (int part = 0; part < FireCountParts; part++) total += pp[(long)part * latentCount + latent];
                pf[latent] = total;
            }
        }
    }

    /// <summary>Through ReLU the gradient reaches only positive pre-activations: <c>gradient[i] = 0</c> where <c>values[i] &lt;= 0</c>.</summary>
    /// <param name="values">TopK values, <c>[B k]</c>.</param>
    /// <param name="gradient">dL/da at the active latents, <c>[B k]</c>, updated.</param>
    public static void MaskReluGradient(ReadOnlySpan<float> values, Span<float> gradient)
    {
        int i = 0;
        for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var blocked = Vector.LessThanOrEqual(new Vector<float>(values[i..]), Vector<float>.Zero);
            Vector.ConditionalSelect(blocked, Vector<float>.Zero, new Vector<float>(gradient[i..])).CopyTo(gradient[i..]);
        }
        for (; i < values.Length; i++)
        {
            if (values[i] <= 0) gradient[i] = 0;
        }
    }

    /// <summary><c>gradW_j += (g_j - D_j (D_j . g_j)) / ||W_j||</c>: the Jacobian of W_j / ||W_j|| applied to g_j = dL/dD_j; rows with ||W_j|| = 0 are skipped.</summary>
    /// <param name="decoder">D, <c>[h, d]</c>.</param>
    /// <param name="rowNorms">||W_j||, <c>[h]</c>.</param>
    /// <param name="decoderGradient">dL/dD, <c>[h, d]</c>.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="dimension">d.</param>
    /// <param name="weightGradient">dL/dW, <c>[h, d]</c>, accumulated.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static void ProjectDecoderGradient(ReadOnlySpan<float> decoder, ReadOnlySpan<float> rowNorms, ReadOnlySpan<float> decoderGradient, int latentCount, int dimension, Span<float> weightGradient, int maxThreads)
    {
        fixed (float* pd = decoder, pn = rowNorms, pg = decoderGradient, pw = weightGradient)
        {
            var work = new ProjectionWork { Decoder = pd, RowNorms = pn, DecoderGradient = pg, WeightGradient = pw, LatentCount = latentCount, Dimension = dimension };
            WorkerPool.Run(ref work, (latentCount + LatentsPerPart - 1) / LatentsPerPart, maxThreads);
        }
    }

    /// <summary>
    /// <c>rowNorms[j] = ||W_j||</c> (squares of the floats summed in double, in column order) and
    /// <c>D_j = W_j / ||W_j||</c> (times the float reciprocal; a zero row stays zero rather than NaN).
    /// </summary>
    /// <param name="weights">W, <c>[h, d]</c>.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="dimension">d.</param>
    /// <param name="decoder">D, <c>[h, d]</c>, overwritten.</param>
    /// <param name="rowNorms">||W_j||, <c>[h]</c>, overwritten.</param>
    /// <param name="maxThreads">Thread limit.</param>
    public static void NormalizeRows(ReadOnlySpan<float> weights, int latentCount, int dimension, Span<float> decoder, Span<float> rowNorms, int maxThreads)
    {
        fixed (float* pw = weights, pd = decoder, pn = rowNorms)
        {
            var work = new NormalizeWork { Weights = pw, Decoder = pd, RowNorms = pn, LatentCount = latentCount, Dimension = dimension };
            WorkerPool.Run(ref work, (latentCount + LatentsPerPart - 1) / LatentsPerPart, maxThreads);
        }
    }

    /// <summary><see cref="NormalizeRows"/> of rows [first, end) on the calling thread (the second half of <see cref="AdamRenormalization"/>'s blocks).</summary>
    /// <param name="weights">W, <c>[h, d]</c>.</param>
    /// <param name="first">First row.</param>
    /// <param name="end">Row after the last.</param>
    /// <param name="dimension">d.</param>
    /// <param name="decoder">D, <c>[h, d]</c>; rows [first, end) overwritten.</param>
    /// <param name="rowNorms">||W_j||, <c>[h]</c>; entries [first, end) overwritten.</param>
    public static void NormalizeRowRange(float* weights, int first, int end, int dimension, float* decoder, float* rowNorms)
        => NormalizeWork.NormalizeRowRange(weights, first, end, dimension, decoder, rowNorms);

    /// <summary>Rows [first, last) of chunk <paramref name="chunk"/> of <paramref name="parts"/> equal splits of <paramref name="rowCount"/> rows.</summary>
    private static (int First, int Last) Rows(int rowCount, int chunk, int parts)
        => ((int)((long)rowCount * chunk / parts), (int)((long)rowCount * (chunk + 1) / parts));

    private struct RowVectorWork : IParallelWork
    {
        public float* Source, Row, Destination;
        public int RowCount, ColumnCount;
        public bool Subtract;

        public readonly void Execute(int part)
        {
            var (first, last) = Rows(RowCount, part, ReductionChunks);
            var row = new ReadOnlySpan<float>(Row, ColumnCount);
            for (int b = first; b < last; b++)
            {
                var source = new ReadOnlySpan<float>(Source + (long)b * ColumnCount, ColumnCount);
                var target = new Span<float>(Destination + (long)b * ColumnCount, ColumnCount);
                int i = 0;
                for (; i <= ColumnCount - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var x = new Vector<float>(source[i..]);
                    var r = new Vector<float>(row[i..]);
                    (Subtract ? x - r : x + r).CopyTo(target[i..]);
                }
                for (; i < ColumnCount; i++) target[i] = Subtract ? source[i] - row[i] : source[i] + row[i];
            }
        }
    }

    private struct SquaredErrorWork : IParallelWork
    {
        public float* Reconstruction, Inputs, Gradient;
        public double* Partial;
        public int RowCount, Dimension;
        public float Scale;

        public readonly void Execute(int part)
        {
            var (first, last) = Rows(RowCount, part, ReductionChunks);
            long offset = (long)first * Dimension;
            int length = (last - first) * Dimension;
            var reconstruction = new ReadOnlySpan<float>(Reconstruction + offset, length);
            var inputs = new ReadOnlySpan<float>(Inputs + offset, length);
            var gradient = new Span<float>(Gradient + offset, length);
            int i = 0;
            double total = 0;
            var scale = new Vector<float>(Scale);
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var difference = new Vector<float>(reconstruction[i..]) - new Vector<float>(inputs[i..]);
                (difference * scale).CopyTo(gradient[i..]);
                total += Vector.Dot(difference, difference);
            }
            for (; i < length; i++)
            {
                float difference = reconstruction[i] - inputs[i];
                gradient[i] = difference * Scale;
                total += difference * difference;
            }
            Partial[part] = total;
        }
    }

    private struct ActivateWork : IParallelWork
    {
        public int* Indices, PartialCounts;
        public float* Values, Activations;
        public int RowCount, K, LatentCount;
        public bool Relu;

        public readonly void Execute(int part)
        {
            var (first, last) = Rows(RowCount, part, FireCountParts);
            int* counts = PartialCounts + (long)part * LatentCount;
            new Span<int>(counts, LatentCount).Clear();
            long start = (long)first * K, end = (long)last * K;
            var values = new ReadOnlySpan<float>(Values + start, (int)(end - start));
            var activations = new Span<float>(Activations + start, values.Length);
            int i = 0;
            if (Relu)
            {
                for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var v = new Vector<float>(values[i..]);
                    Vector.ConditionalSelect(Vector.LessThan(v, Vector<float>.Zero), Vector<float>.Zero, v).CopyTo(activations[i..]);
                }
                for (; i < values.Length; i++) activations[i] = values[i] < 0 ? 0f : values[i];
            }
            else
            {
                values.CopyTo(activations);
            }
            int* indices = Indices + start;
            for (int e = 0; e < activations.Length; e++) counts[indices[e]] += activations[e] != 0 ? 1 : 0;
        }
    }

    private struct ProjectionWork : IParallelWork
    {
        public float* Decoder, RowNorms, DecoderGradient, WeightGradient;
        public int LatentCount, Dimension;

        public readonly void Execute(int part)
        {
            int first = part * LatentsPerPart, end = Math.Min(LatentCount, first + LatentsPerPart);
            for (int j = first; j < end; j++)
            {
                if (RowNorms[j] == 0) continue;
                long offset = (long)j * Dimension;
                var direction = new ReadOnlySpan<float>(Decoder + offset, Dimension);
                var gradient = new ReadOnlySpan<float>(DecoderGradient + offset, Dimension);
                var target = new Span<float>(WeightGradient + offset, Dimension);
                float along = Dot(direction, gradient);
                float inverseNorm = 1f / RowNorms[j];
                // Unfused multiply, subtract, multiply, add: the same roundings as the scalar tail.
                var alongVector = new Vector<float>(along);
                var inverseNormVector = new Vector<float>(inverseNorm);
                int t = 0;
                for (; t <= Dimension - Vector<float>.Count; t += Vector<float>.Count)
                {
                    var step = (new Vector<float>(gradient[t..]) - new Vector<float>(direction[t..]) * alongVector) * inverseNormVector;
                    (new Vector<float>(target[t..]) + step).CopyTo(target[t..]);
                }
                for (; t < Dimension; t++) target[t] += (gradient[t] - direction[t] * along) * inverseNorm;
            }
        }
    }

    private struct NormalizeWork : IParallelWork
    {
        public float* Weights, Decoder, RowNorms;
        public int LatentCount, Dimension;

        public readonly void Execute(int part)
        {
            int first = part * LatentsPerPart, end = Math.Min(LatentCount, first + LatentsPerPart);
            NormalizeRowRange(Weights, first, end, Dimension, Decoder, RowNorms);
        }

        public static void NormalizeRowRange(float* weights, int first, int end, int dimension, float* decoder, float* rowNorms)
        {
            int j = first;
            for (; j <= end - 8; j += 8) SumSquares8(weights + (long)j * dimension, dimension, rowNorms + j);
            for (; j < end; j++) rowNorms[j] = (float)Math.Sqrt(SumSquares(weights + (long)j * dimension, dimension));
            for (j = first; j < end; j++)
            {
                var row = new ReadOnlySpan<float>(weights + (long)j * dimension, dimension);
                var target = new Span<float>(decoder + (long)j * dimension, dimension);
                float norm = rowNorms[j];
                float scale = norm > 0 ? 1f / norm : 0f;
                var scaleVector = new Vector<float>(scale);
                int t = 0;
                for (; t <= dimension - Vector<float>.Count; t += Vector<float>.Count) (new Vector<float>(row[t..]) * scaleVector).CopyTo(target[t..]);
                for (; t < dimension; t++) target[t] = row[t] * scale;
            }
        }

        /// <summary>
        /// The norms of the 8 rows from <paramref name="w0"/> into <paramref name="norms"/>: each row's sum is the same sequential double sum as <see cref="SumSquares"/>, but the eight
        /// rows advance together, one column of all eight per add (lane r is row j + r), so the adds of different rows
        /// overlap instead of each waiting for the last (one chain alone is bound by the add latency, slower than memory at
        /// the EEG shape). With AVX the squares of an 8 x 8 block are transposed in registers (gathering a column measured
        /// slower); otherwise the eight chains run as scalars side by side.
        /// </summary>
        private static void SumSquares8(float* w0, int d, float* norms)
        {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            int t = 0;
            if (Avx.IsSupported && d >= 8)
            {
                Vector256<double> low = Vector256<double>.Zero, high = Vector256<double>.Zero;
                for (; t <= d - 8; t += 8)
                {
                    float* w = w0 + t;
                    var r0 = Square(w);
                    var r1 = Square(w + d);
                    var r2 = Square(w + 2 * d);
                    var r3 = Square(w + 3 * d);
                    var r4 = Square(w + 4 * d);
                    var r5 = Square(w + 5 * d);
                    var r6 = Square(w + 6 * d);
                    var r7 = Square(w + 7 * d);
                    // 8 x 8 transpose: column c of the block into lanes 0..7 of vector c.
                    var t0 = Avx.UnpackLow(r0, r1);
                    var t1 = Avx.UnpackHigh(r0, r1);
                    var t2 = Avx.UnpackLow(r2, r3);
                    var t3 = Avx.UnpackHigh(r2, r3);
                    var t4 = Avx.UnpackLow(r4, r5);
                    var t5 = Avx.UnpackHigh(r4, r5);
                    var t6 = Avx.UnpackLow(r6, r7);
                    var t7 = Avx.UnpackHigh(r6, r7);
                    var u0 = Avx.Shuffle(t0, t2, 0x44);
                    var u1 = Avx.Shuffle(t0, t2, 0xEE);
                    var u2 = Avx.Shuffle(t1, t3, 0x44);
                    var u3 = Avx.Shuffle(t1, t3, 0xEE);
                    var u4 = Avx.Shuffle(t4, t6, 0x44);
                    var u5 = Avx.Shuffle(t4, t6, 0xEE);
                    var u6 = Avx.Shuffle(t5, t7, 0x44);
                    var u7 = Avx.Shuffle(t5, t7, 0xEE);
                    Add(Avx.Permute2x128(u0, u4, 0x20), ref low, ref high);
                    Add(Avx.Permute2x128(u1, u5, 0x20), ref low, ref high);
                    Add(Avx.Permute2x128(u2, u6, 0x20), ref low, ref high);
                    Add(Avx.Permute2x128(u3, u7, 0x20), ref low, ref high);
                    Add(Avx.Permute2x128(u0, u4, 0x31), ref low, ref high);
                    Add(Avx.Permute2x128(u1, u5, 0x31), ref low, ref high);
                    Add(Avx.Permute2x128(u2, u6, 0x31), ref low, ref high);
                    Add(Avx.Permute2x128(u3, u7, 0x31), ref low, ref high);
                }
                (s0, s1, s2, s3) = (low[0], low[1], low[2], low[3]);
                (s4, s5, s6, s7) = (high[0], high[1], high[2], high[3]);
            }
            nint stride = d;
            float* w1 = w0 + stride, w2 = w1 + stride, w3 = w2 + stride, w4 = w3 + stride, w5 = w4 + stride, w6 = w5 + stride, w7 = w6 + stride;
            for (; t < d; t++)
            {
                float v0 = w0[t], v1 = w1[t], v2 = w2[t], v3 = w3[t], v4 = w4[t], v5 = w5[t], v6 = w6[t], v7 = w7[t];
                s0 += v0 * v0;
                s1 += v1 * v1;
                s2 += v2 * v2;
                s3 += v3 * v3;
                s4 += v4 * v4;
                s5 += v5 * v5;
                s6 += v6 * v6;
                s7 += v7 * v7;
            }
            norms[0] = (float)Math.Sqrt(s0);
            norms[1] = (float)Math.Sqrt(s1);
            norms[2] = (float)Math.Sqrt(s2);
            norms[3] = (float)Math.Sqrt(s3);
            norms[4] = (float)Math.Sqrt(s4);
            norms[5] = (float)Math.Sqrt(s5);
            norms[6] = (float)Math.Sqrt(s6);
            norms[7] = (float)Math.Sqrt(s7);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<float> Square(float* row)
        {
            var values = Avx.LoadVector256(row);
            return Avx.Multiply(values, values);
        }

        /// <summary>Adds the 8 squares of one column (lane r: row r), widened to double, to the rows' sums.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Add(Vector256<float> column, ref Vector256<double> low, ref Vector256<double> high)
        {
            low = Avx.Add(low, Avx.ConvertToVector256Double(column.GetLower()));
            high = Avx.Add(high, Avx.ConvertToVector256Double(column.GetUpper()));
        }

        /// <summary>The squares of a row's floats (each rounded to float) summed in double, in column order.</summary>
        private static double SumSquares(float* row, int dimension)
        {
            double sumSquares = 0;
            for (int t = 0; t < dimension; t++) sumSquares += row[t] * row[t];
            return sumSquares;
        }
    }

    /// <summary>Dot product in float: Vector&lt;float&gt; partial sums, lane sum, then the scalar tail.</summary>
    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int i = 0;
        var sum = Vector<float>.Zero;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count) sum += new Vector<float>(x[i..]) * new Vector<float>(y[i..]);
        float total = Vector.Sum(sum);
        for (; i < x.Length; i++) total += x[i] * y[i];
        return total;
    }
}

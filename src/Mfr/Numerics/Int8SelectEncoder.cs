using System.Diagnostics;

namespace Mfr.Numerics;

/// <summary>
/// The opt-in int8-select encoder (issue 16 item 4): TopK of <c>x W^T + b</c> per row, the same selection the fp32
/// encoder makes (ties aside: values within fp32 rounding of each other), with values that are fp32 dot products,
/// found through 8-bit integer products and a proven error bound. <see cref="Int8SelectReference"/> is the
/// specification; the variants of <see cref="KernelRegistry.Int8Select"/> run it. Every call quantises W afresh
/// (W changes every training step) and x, multiplies the codes (<see cref="Int8Product{TKernel}"/>), and selects
/// row by row (<see cref="Int8Selection"/>). Steady-state calls allocate nothing; output is the same for any thread count.
/// </summary>
internal static unsafe class Int8SelectEncoder
{
    /// <summary>Rows per part of the input quantisation and the selection.</summary>
    private const int RowsPerPart = 64;

    /// <summary>Slivers of 16 latents per part of the weight quantisation.</summary>
    private const int SliversPerPart = 4;

    /// <summary>TopK of <c>inputs weights^T + bias</c> per row with the selected variant; returns the candidates summed over rows.</summary>
    /// <param name="inputs">x, <c>[batchSize, inputDim]</c>.</param>
    /// <param name="weights">W, <c>[latentCount, inputDim]</c>.</param>
    /// <param name="bias">b, <c>[latentCount]</c>.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="inputDim">d.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="k">Latents kept per row.</param>
    /// <param name="buffers">Buffers made for (at least B, exactly d and h).</param>
    /// <param name="indices">Output columns, <c>[batchSize, k]</c>, ascending within a row.</param>
    /// <param name="values">Output pre-activations, <c>[batchSize, k]</c>.</param>
    public static long Encode(ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k,
        Int8SelectBuffers buffers, Span<int> indices, Span<float> values)
        => EncodeWith(inputs, weights, bias, batchSize, inputDim, latentCount, k, buffers, indices, values, KernelRegistry.Int8Select.Selected, Parallelism.MaxThreads);

    /// <summary><see cref="Encode"/> with an explicit variant and thread count (tests, benchmarks).</summary>
    public static long EncodeWith(ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k,
        Int8SelectBuffers buffers, Span<int> indices, Span<float> values, IInt8SelectKernel kernel, int maxThreads)
    {
        CheckShapes(inputs.Length, weights.Length, bias.Length, indices.Length, values.Length, batchSize, inputDim, latentCount, k);
        if (buffers.InputDim != inputDim || buffers.LatentCount != latentCount || buffers.MaxBatchSize < batchSize)
            throw new ArgumentException($"Int8-select buffers for B <= {buffers.MaxBatchSize}, d {buffers.InputDim}, h {buffers.LatentCount} used with B {batchSize}, d {inputDim}, h {latentCount}.");
        long total = kernel.Encode(inputs, weights, bias, batchSize, inputDim, latentCount, k, buffers, indices, values, maxThreads);
        buffers.LastCandidateTotal = total;
        return total;
    }

    /// <summary>The vector path (shapes checked) around the micro-kernel <typeparamref name="TKernel"/>.</summary>
    public static long EncodeFast<TKernel>(ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k,
        Int8SelectBuffers buffers, Span<int> indices, Span<float> values, int maxThreads)
        where TKernel : struct, IInt8MicroKernel
    {
        if (batchSize == 0) return 0;
        float rho = Int8SelectBound.Rho(inputDim);
        int offset = TKernel.InputLevels + 1;
        long candidateTotal = 0;
        fixed (float* x = inputs, w = weights, b = bias, v = values)
        fixed (int* i = indices)
        {
            var weightWork = new WeightWork { Weights = w, Bias = b, H = latentCount, D = inputDim, Rho = rho, Buffers = buffers.Pointers };
            int slivers = buffers.PaddedLatents / Int8Quantization.SliverLatents;
            long start = Stopwatch.GetTimestamp();
            WorkerPool.Run(ref weightWork, (slivers + SliversPerPart - 1) / SliversPerPart, maxThreads);
            long weightsDone = Stopwatch.GetTimestamp();

            int rowParts = (batchSize + RowsPerPart - 1) / RowsPerPart;
            var inputWork = new InputWork { Inputs = x, B = batchSize, D = inputDim, Levels = TKernel.InputLevels, Offset = offset, Rho = rho, Buffers = buffers.Pointers };
            WorkerPool.Run(ref inputWork, rowParts, maxThreads);

            long inputsDone = Stopwatch.GetTimestamp();
            Int8Product<TKernel>.Multiply(buffers, batchSize, maxThreads);
            long productDone = Stopwatch.GetTimestamp();

            float maxWeightNorm = 0, maxAbsBias = 0;
            for (int j = 0; j < latentCount; j++)
            {
                maxWeightNorm = MathF.Max(maxWeightNorm, buffers.WeightNorm[j]);
                maxAbsBias = MathF.Max(maxAbsBias, MathF.Abs(b[j]));
            }
            var selectWork = new SelectWork
            {
                MaxWeightNorm = maxWeightNorm,
                MaxAbsBias = maxAbsBias,
                Rho = rho,
                Inputs = x,
                Weights = w,
                Bias = b,
                Indices = i,
                Values = v,
                CandidateTotal = &candidateTotal,
                B = batchSize,
                D = inputDim,
                H = latentCount,
                K = k,
                Offset = offset,
                Buffers = buffers.Pointers,
            };
            WorkerPool.Run(ref selectWork, rowParts, maxThreads);
            buffers.LastTimes = new Int8SelectBuffers.Times(Seconds(start, weightsDone), Seconds(weightsDone, inputsDone), Seconds(inputsDone, productDone), Seconds(productDone, Stopwatch.GetTimestamp()));
        }
        return candidateTotal;
    }

    private static double Seconds(long start, long end) => (double)(end - start) / Stopwatch.Frequency;

    internal static void CheckShapes(int inputLength, int weightLength, int biasLength, int indicesLength, int valuesLength, int batchSize, int inputDim, int latentCount, int k)
    {
        if (batchSize < 0 || inputDim < 1 || latentCount < 1 || k < 1 || k > latentCount)
            throw new ArgumentException($"Need non-negative B, positive d and h, and 1 <= k <= h, got B={batchSize}, d={inputDim}, h={latentCount}, k={k}.");
        if (inputLength < (long)batchSize * inputDim || weightLength < (long)latentCount * inputDim || biasLength < latentCount
            || indicesLength < (long)batchSize * k || valuesLength < (long)batchSize * k)
            throw new ArgumentException(
                $"Shapes do not fit: x [{batchSize},{inputDim}] has {inputLength} floats, W [{latentCount},{inputDim}] has {weightLength}, b [{latentCount}] has {biasLength}, " +
                $"indices/values [{batchSize},{k}] have {indicesLength}/{valuesLength}.");
    }

    private struct WeightWork : IParallelWork
    {
        public float* Weights, Bias;
        public int H, D;
        public float Rho;
        public Int8SelectBuffers.View Buffers;

        public readonly void Execute(int part)
        {
            int first = part * SliversPerPart * Int8Quantization.SliverLatents;
            int end = Math.Min(Buffers.PaddedLatents, first + SliversPerPart * Int8Quantization.SliverLatents);
            byte* rowCodes = (byte*)ScratchBuffers.Get(ScratchBuffers.PartLocal, Buffers.GroupCount);
            Int8Quantization.QuantizeWeights(Weights, Bias, H, D, Rho, first, end, rowCodes, Buffers);
        }
    }

    private struct InputWork : IParallelWork
    {
        public float* Inputs;
        public int B, D, Levels, Offset;
        public float Rho;
        public Int8SelectBuffers.View Buffers;

        public readonly void Execute(int part)
        {
            int first = part * RowsPerPart, end = Math.Min(B, first + RowsPerPart);
            int stride = 4 * Buffers.GroupCount;
            for (int row = first; row < end; row++)
            {
                var (scale, norm, errorNorm) = Int8Quantization.QuantizeRow(Inputs + (nint)row * D, D, Levels, Offset, Rho, Buffers.InputCodes + (nint)row * stride, stride);
                Buffers.RowScale[row] = scale;
                (Buffers.RowA[row], Buffers.RowB[row]) = Int8SelectBound.RowFactors(norm, errorNorm, Rho);
            }
        }
    }

    private struct SelectWork : IParallelWork
    {
        public float* Inputs, Weights, Bias, Values;
        public int* Indices;
        public long* CandidateTotal;
        public int B, D, H, K, Offset;
        public float MaxWeightNorm, MaxAbsBias, Rho;
        public Int8SelectBuffers.View Buffers;

        public readonly void Execute(int part)
        {
            int first = part * RowsPerPart, end = Math.Min(B, first + RowsPerPart);
            int* scratch = (int*)ScratchBuffers.Get(ScratchBuffers.PartLocal, Int8Selection.ScratchInts(D, H, K));
            long candidates = 0;
            for (int row = first; row < end; row++)
            {
                candidates += Int8Selection.SelectRow(Buffers.Products + (nint)row * Buffers.PaddedLatents, Inputs + (nint)row * D, row, Weights, Bias, D, H, K, Offset, MaxWeightNorm, MaxAbsBias, Rho, Buffers,
                    scratch, Indices + (nint)row * K, Values + (nint)row * K);
            }
            Interlocked.Add(ref *CandidateTotal, candidates);
        }
    }
}

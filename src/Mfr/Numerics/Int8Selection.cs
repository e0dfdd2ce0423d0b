using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// The vector path of steps 2-4 of <see cref="Int8SelectReference"/> for one row: the integer products become
/// lower bounds <c>q_j - E_j</c> (in place, as floats), their k-th largest L comes from the TopK row kernel, the
/// latents with <c>q_j + E_j &gt;= L</c> are compressed, recomputed by <see cref="Dot"/> (the reference's summation
/// order, bit for bit) and the TopK row kernel picks the k largest of them. Legend: d input width, h latents.
/// </summary>
internal static unsafe class Int8Selection
{
    private const int Lanes = 8;
    public static readonly long[] T = new long[4];

    /// <summary>Candidates whose dot products run interleaved (independent FMA chains hide the FMA latency).</summary>
    private const int DotInterleave = 4;

    /// <summary>Ints of per-thread scratch <see cref="SelectRow"/> needs.</summary>
    public static long ScratchInts(int inputDim, int latentCount, int k)
        => TopKScratchInts(latentCount, k) + 2L * (k + 16) + 2L * (latentCount + 16) + PaddedDim(inputDim) + 16;

    /// <summary>One row: bounds, candidates, exact dots, TopK; returns the candidate count.</summary>
    /// <param name="products">The row's integer products, <c>[PaddedLatents]</c>; overwritten with lower bounds.</param>
    /// <param name="input">The row of x, <c>[d]</c>.</param>
    /// <param name="row">The row's index in <paramref name="buffers"/>' per-row factors.</param>
    /// <param name="weights">W, <c>[h, d]</c>.</param>
    /// <param name="bias">b, <c>[h]</c>.</param>
    /// <param name="d">Input width.</param>
    /// <param name="h">Latents.</param>
    /// <param name="k">Latents kept.</param>
    /// <param name="offset">The inputs' code offset (128 or 64).</param>
    /// <param name="buffers">Per-row and per-latent factors.</param>
    /// <param name="scratch">Per-thread scratch, <see cref="ScratchInts"/>.</param>
    /// <param name="indices">Output columns, <c>[k]</c>, ascending.</param>
    /// <param name="values">Output pre-activations, <c>[k]</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int SelectRow(int* products, float* input, int row, float* weights, float* bias, int d, int h, int k, int offset, in Int8SelectBuffers.View buffers, int* scratch, int* indices, float* values)
    {
        int* topKScratch = scratch;
        int* chosen = topKScratch + TopKScratchInts(h, k);
        float* chosenValues = (float*)(chosen + k + 16);
        int* candidates = (int*)(chosenValues + k + 16);
        float* candidateValues = (float*)(candidates + h + 16);
        float* paddedInput = candidateValues + h + 16;
        float* weightTail = paddedInput + PaddedDim(d);

        float* lower = (float*)products;
        float rowA = buffers.RowA[row], rowB = buffers.RowB[row], rowScale = buffers.RowScale[row];
        LowerBounds(products, bias, h, offset, rowScale, rowA, rowB, buffers, lower);
        float threshold = k == h ? float.NegativeInfinity : KthLargest(lower, h, k, topKScratch, chosen, chosenValues);
        int count = k == h ? Enumerate(candidates, h) : Candidates(lower, h, rowA, rowB, threshold, buffers, candidates);

        new Span<float>(input, d).CopyTo(new Span<float>(paddedInput, d));
        new Span<float>(paddedInput + d, PaddedDim(d) - d).Clear();
        ExactValues(paddedInput, weights, bias, d, candidates, count, weightTail, candidateValues);
        if (count == k)
        {
            new Span<int>(candidates, k).CopyTo(new Span<int>(indices, k));
            new Span<float>(candidateValues, k).CopyTo(new Span<float>(values, k));
            return count;
        }
        SelectTopK(candidateValues, count, k, topKScratch, chosen, values);
        for (int s = 0; s < k; s++) indices[s] = candidates[chosen[s]];
        return count;
    }

    /// <summary>x . w in the fixed order of <see cref="Int8SelectReference.Dot"/>; <paramref name="paddedInput"/> is zero from d to the next multiple of 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* paddedInput, float* w, int d, float* weightTail)
    {
        var sum = Vector512<float>.Zero;
        int p = 0;
        for (; p <= d - 16; p += 16) sum = Vector512.FusedMultiplyAdd(Vector512.Load(paddedInput + p), Vector512.Load(w + p), sum);
        if (p < d)
        {
            LoadTail(w + p, d - p, weightTail);
            sum = Vector512.FusedMultiplyAdd(Vector512.Load(paddedInput + p), Vector512.Load(weightTail), sum);
        }
        return Reduce(sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExactValues(float* paddedInput, float* weights, float* bias, int d, int* candidates, int count, float* weightTail, float* candidateValues)
    {
        int c = 0;
        int full = d / 16 * 16;
        for (; c <= count - DotInterleave; c += DotInterleave)
        {
            float* w0 = weights + (nint)candidates[c] * d, w1 = weights + (nint)candidates[c + 1] * d;
            float* w2 = weights + (nint)candidates[c + 2] * d, w3 = weights + (nint)candidates[c + 3] * d;
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (int p = 0; p < full; p += 16)
            {
                var x = Vector512.Load(paddedInput + p);
                s0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w0 + p), s0);
                s1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w1 + p), s1);
                s2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w2 + p), s2);
                s3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(w3 + p), s3);
            }
            if (full < d)
            {
                var x = Vector512.Load(paddedInput + full);
                s0 = TailStep(x, w0 + full, d - full, weightTail, s0);
                s1 = TailStep(x, w1 + full, d - full, weightTail, s1);
                s2 = TailStep(x, w2 + full, d - full, weightTail, s2);
                s3 = TailStep(x, w3 + full, d - full, weightTail, s3);
            }
            candidateValues[c] = Reduce(s0) + bias[candidates[c]];
            candidateValues[c + 1] = Reduce(s1) + bias[candidates[c + 1]];
            candidateValues[c + 2] = Reduce(s2) + bias[candidates[c + 2]];
            candidateValues[c + 3] = Reduce(s3) + bias[candidates[c + 3]];
        }
        for (; c < count; c++) candidateValues[c] = Dot(paddedInput, weights + (nint)candidates[c] * d, d, weightTail) + bias[candidates[c]];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> TailStep(Vector512<float> x, float* w, int count, float* weightTail, Vector512<float> sum)
    {
        LoadTail(w, count, weightTail);
        return Vector512.FusedMultiplyAdd(x, Vector512.Load(weightTail), sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadTail(float* w, int count, float* weightTail)
    {
        for (int i = 0; i < 16; i++) weightTail[i] = i < count ? w[i] : 0;
    }

    /// <summary>Lanes l + 8, l + 4, l + 2, l + 1 added in halves, as <see cref="Int8SelectReference.Dot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce(Vector512<float> sum)
    {
        var eight = sum.GetLower() + sum.GetUpper();
        var four = eight.GetLower() + eight.GetUpper();
        var two = four + Vector128.Shuffle(four, Vector128.Create(2, 3, 0, 1));
        return two.GetElement(0) + two.GetElement(1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LowerBounds(int* products, float* bias, int h, int offset, float rowScale, float rowA, float rowB, in Int8SelectBuffers.View buffers, float* lower)
    {
        int* columnSum = buffers.ColumnSum;
        float* weightScale = buffers.WeightScale, weightNorm = buffers.WeightNorm, weightError = buffers.WeightError, biasTerm = buffers.BiasTerm;
        var offsetVector = Vector256.Create(offset);
        var scaleVector = Vector256.Create(rowScale);
        var aVector = Vector256.Create(rowA);
        var bVector = Vector256.Create(rowB);
        int j = 0;
        for (; j <= h - Lanes; j += Lanes)
        {
            var product = Vector256.Load(products + j) - offsetVector * Vector256.Load(columnSum + j);
            var estimate = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(product), scaleVector * Vector256.Load(weightScale + j), Vector256.Load(bias + j));
            var bound = Vector256.FusedMultiplyAdd(aVector, Vector256.Load(weightNorm + j), Vector256.FusedMultiplyAdd(bVector, Vector256.Load(weightError + j), Vector256.Load(biasTerm + j)));
            (estimate - bound).Store(lower + j);
        }
        for (; j < h; j++)
        {
            int product = products[j] - offset * columnSum[j];
            float estimate = MathF.FusedMultiplyAdd(product, rowScale * weightScale[j], bias[j]);
            float bound = MathF.FusedMultiplyAdd(rowA, weightNorm[j], MathF.FusedMultiplyAdd(rowB, weightError[j], biasTerm[j]));
            lower[j] = estimate - bound;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Candidates(float* lower, int h, float rowA, float rowB, float threshold, in Int8SelectBuffers.View buffers, int* candidates)
    {
        float* weightNorm = buffers.WeightNorm, weightError = buffers.WeightError, biasTerm = buffers.BiasTerm;
        var aVector = Vector256.Create(rowA);
        var bVector = Vector256.Create(rowB);
        var thresholdVector = Vector256.Create(threshold);
        int count = 0, j = 0;
        for (; j <= h - Lanes; j += Lanes)
        {
            var bound = Vector256.FusedMultiplyAdd(aVector, Vector256.Load(weightNorm + j), Vector256.FusedMultiplyAdd(bVector, Vector256.Load(weightError + j), Vector256.Load(biasTerm + j)));
            var upper = Vector256.Load(lower + j) + (bound + bound);
            // "Not below" so a NaN bound makes the latent a candidate, as in the reference.
            uint below = Vector256.LessThan(upper, thresholdVector).ExtractMostSignificantBits();
            uint keep = ~below & 0xFFu;
            while (keep != 0)
            {
                candidates[count++] = j + BitOperations.TrailingZeroCount(keep);
                keep &= keep - 1;
            }
        }
        for (; j < h; j++)
        {
            float bound = MathF.FusedMultiplyAdd(rowA, weightNorm[j], MathF.FusedMultiplyAdd(rowB, weightError[j], biasTerm[j]));
            if (!(lower[j] + 2 * bound < threshold)) candidates[count++] = j;
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Enumerate(int* candidates, int h)
    {
        for (int j = 0; j < h; j++) candidates[j] = j;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float KthLargest(float* row, int h, int k, int* scratch, int* chosen, float* chosenValues)
    {
        SelectTopK(row, h, k, scratch, chosen, chosenValues);
        float minimum = chosenValues[0];
        for (int s = 1; s < k; s++) minimum = chosenValues[s].CompareTo(minimum) < 0 ? chosenValues[s] : minimum;
        return minimum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SelectTopK(float* row, int count, int k, int* scratch, int* chosen, float* chosenValues)
    {
        if (KernelVariant.MissingSupport(KernelLevel.Avx512) is null) TopKAvx512.SelectRow(row, count, k, scratch, chosen, chosenValues);
        else TopKPortable.SelectRow(row, count, k, scratch, chosen, chosenValues);
    }

    private static long TopKScratchInts(int h, int k) => Math.Max(TopKAvx512.ScratchInts(h, k), TopKPortable.ScratchInts(h));

    private static int PaddedDim(int d) => (d + 15) / 16 * 16;
}

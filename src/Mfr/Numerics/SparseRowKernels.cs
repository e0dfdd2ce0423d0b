using System.Runtime.Intrinsics;

namespace Mfr.Numerics;

/// <summary>
/// Width-generic inner loops of <see cref="SparseKernels"/> for one sample (decode, gather-dots) or
/// one latent (scatter), over a slab of columns <c>[start, start + width)</c> of the d dimensions.
/// Full chunks of 8 vectors keep 8 (or 8 + 8; 4 + 4 for the scatter with 256-bit vectors) accumulators
/// in registers while walking the k active rows, so each loaded row vector feeds one FMA and nothing
/// else touches memory; leftover whole vectors, then single floats, follow with the same summation
/// order per output element. <c>dimension</c> is the row stride (a packed copy may pass its own).
/// Legend as in <see cref="SparseKernelsReference"/>: k active latents, d = <c>dimension</c>.
/// </summary>
internal static unsafe class SparseRowKernels<TOps, TVector>
    where TOps : struct, IVectorOps<TVector>
    where TVector : struct
{
    /// <summary>
    /// True for 512-bit vectors (AVX-512 has 32 vector registers); false for 256-bit (AVX2 has 16), where the
    /// kernels use narrower chunks so the accumulators, broadcasts and loaded operands fit without spilling.
    /// A JIT-time constant in each instantiation.
    /// </summary>
    private static bool WideRegisterFile => TOps.Count >= 16;

    /// <summary><c>output[t] = sum_s coefficients[s] * rows[indices[s], t]</c> for t in the slab, summed in s order.</summary>
    public static void DecodeSample(int* indices, float* coefficients, int k, float* rows, nint dimension, int start, int width, float* output)
    {
        int lanes = TOps.Count, chunk = 8 * lanes, end = start + width, t = start;
        for (; t <= end - chunk; t += chunk)
        {
            TVector a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero, a4 = TOps.Zero, a5 = TOps.Zero, a6 = TOps.Zero, a7 = TOps.Zero;
            for (int s = 0; s < k; s++)
            {
                var c = TOps.Broadcast(coefficients[s]);
                float* row = rows + indices[s] * dimension + t;
                a0 = TOps.MultiplyAdd(c, TOps.Load(row), a0);
                a1 = TOps.MultiplyAdd(c, TOps.Load(row + lanes), a1);
                a2 = TOps.MultiplyAdd(c, TOps.Load(row + 2 * lanes), a2);
                a3 = TOps.MultiplyAdd(c, TOps.Load(row + 3 * lanes), a3);
                a4 = TOps.MultiplyAdd(c, TOps.Load(row + 4 * lanes), a4);
                a5 = TOps.MultiplyAdd(c, TOps.Load(row + 5 * lanes), a5);
                a6 = TOps.MultiplyAdd(c, TOps.Load(row + 6 * lanes), a6);
                a7 = TOps.MultiplyAdd(c, TOps.Load(row + 7 * lanes), a7);
            }
            float* target = output + t;
            TOps.Store(a0, target);
            TOps.Store(a1, target + lanes);
            TOps.Store(a2, target + 2 * lanes);
            TOps.Store(a3, target + 3 * lanes);
            TOps.Store(a4, target + 4 * lanes);
            TOps.Store(a5, target + 5 * lanes);
            TOps.Store(a6, target + 6 * lanes);
            TOps.Store(a7, target + 7 * lanes);
        }
        for (; t <= end - lanes; t += lanes)
        {
            var sum = TOps.Zero;
            for (int s = 0; s < k; s++) sum = TOps.MultiplyAdd(TOps.Broadcast(coefficients[s]), TOps.Load(rows + indices[s] * dimension + t), sum);
            TOps.Store(sum, output + t);
        }
        for (; t < end; t++)
        {
            float sum = 0;
            for (int s = 0; s < k; s++) sum = MathF.FusedMultiplyAdd(coefficients[s], rows[indices[s] * dimension + t], sum);
            output[t] = sum;
        }
    }

    /// <summary>
    /// <c>result[s] (+)= sum_t vector[t] * rows[indices[s], t]</c> over the slab. For each chunk of
    /// 8 vectors the sample's vector stays in 8 registers while the rows stream past, four at a time
    /// with two accumulators each (a quarter of the loads of re-reading the vector per row; measured
    /// 2x faster); leftover vectors and floats go through <see cref="Dot4"/>.
    /// </summary>
    public static void GatherDotsSample(int* indices, float* vector, int k, float* rows, nint dimension, int start, int width, float* result, bool add)
    {
        int lanes = TOps.Count, chunk = 8 * lanes, end = start + width, t = start;
        for (; t <= end - chunk; t += chunk, add = true) DotsChunk(indices, vector + t, k, rows + t, dimension, result, add);
        if (t == end) return;
        int s = 0;
        for (; s <= k - 4; s += 4)
        {
            float* r0 = rows + indices[s] * dimension, r1 = rows + indices[s + 1] * dimension;
            float* r2 = rows + indices[s + 2] * dimension, r3 = rows + indices[s + 3] * dimension;
            Dot4(vector, r0, r1, r2, r3, t, end, result + s, add);
        }
        for (; s < k; s++)
        {
            float dot = Dot(vector, rows + indices[s] * dimension, t, end);
            result[s] = add ? result[s] + dot : dot;
        }
    }

    private static void DotsChunk(int* indices, float* x, int k, float* rows, nint dimension, float* result, bool add)
    {
        int lanes = TOps.Count;
        TVector x0 = TOps.Load(x), x1 = TOps.Load(x + lanes), x2 = TOps.Load(x + 2 * lanes), x3 = TOps.Load(x + 3 * lanes);
        TVector x4 = TOps.Load(x + 4 * lanes), x5 = TOps.Load(x + 5 * lanes), x6 = TOps.Load(x + 6 * lanes), x7 = TOps.Load(x + 7 * lanes);
        int s = 0;
        for (; s <= k - 4; s += 4)
        {
            float* r0 = rows + indices[s] * dimension, r1 = rows + indices[s + 1] * dimension;
            float* r2 = rows + indices[s + 2] * dimension, r3 = rows + indices[s + 3] * dimension;
            TVector a0 = TOps.Multiply(x0, TOps.Load(r0)), b0 = TOps.Multiply(x1, TOps.Load(r0 + lanes));
            TVector a1 = TOps.Multiply(x0, TOps.Load(r1)), b1 = TOps.Multiply(x1, TOps.Load(r1 + lanes));
            TVector a2 = TOps.Multiply(x0, TOps.Load(r2)), b2 = TOps.Multiply(x1, TOps.Load(r2 + lanes));
            TVector a3 = TOps.Multiply(x0, TOps.Load(r3)), b3 = TOps.Multiply(x1, TOps.Load(r3 + lanes));
            a0 = TOps.MultiplyAdd(x2, TOps.Load(r0 + 2 * lanes), a0);
            b0 = TOps.MultiplyAdd(x3, TOps.Load(r0 + 3 * lanes), b0);
            a1 = TOps.MultiplyAdd(x2, TOps.Load(r1 + 2 * lanes), a1);
            b1 = TOps.MultiplyAdd(x3, TOps.Load(r1 + 3 * lanes), b1);
            a2 = TOps.MultiplyAdd(x2, TOps.Load(r2 + 2 * lanes), a2);
            b2 = TOps.MultiplyAdd(x3, TOps.Load(r2 + 3 * lanes), b2);
            a3 = TOps.MultiplyAdd(x2, TOps.Load(r3 + 2 * lanes), a3);
            b3 = TOps.MultiplyAdd(x3, TOps.Load(r3 + 3 * lanes), b3);
            a0 = TOps.MultiplyAdd(x4, TOps.Load(r0 + 4 * lanes), a0);
            b0 = TOps.MultiplyAdd(x5, TOps.Load(r0 + 5 * lanes), b0);
            a1 = TOps.MultiplyAdd(x4, TOps.Load(r1 + 4 * lanes), a1);
            b1 = TOps.MultiplyAdd(x5, TOps.Load(r1 + 5 * lanes), b1);
            a2 = TOps.MultiplyAdd(x4, TOps.Load(r2 + 4 * lanes), a2);
            b2 = TOps.MultiplyAdd(x5, TOps.Load(r2 + 5 * lanes), b2);
            a3 = TOps.MultiplyAdd(x4, TOps.Load(r3 + 4 * lanes), a3);
            b3 = TOps.MultiplyAdd(x5, TOps.Load(r3 + 5 * lanes), b3);
            a0 = TOps.MultiplyAdd(x6, TOps.Load(r0 + 6 * lanes), a0);
            b0 = TOps.MultiplyAdd(x7, TOps.Load(r0 + 7 * lanes), b0);
            a1 = TOps.MultiplyAdd(x6, TOps.Load(r1 + 6 * lanes), a1);
            b1 = TOps.MultiplyAdd(x7, TOps.Load(r1 + 7 * lanes), b1);
            a2 = TOps.MultiplyAdd(x6, TOps.Load(r2 + 6 * lanes), a2);
            b2 = TOps.MultiplyAdd(x7, TOps.Load(r2 + 7 * lanes), b2);
            a3 = TOps.MultiplyAdd(x6, TOps.Load(r3 + 6 * lanes), a3);
            b3 = TOps.MultiplyAdd(x7, TOps.Load(r3 + 7 * lanes), b3);
            var sums = TOps.Sum4(TOps.Add(a0, b0), TOps.Add(a1, b1), TOps.Add(a2, b2), TOps.Add(a3, b3));
            if (add) sums += Vector128.Load(result + s);
            sums.Store(result + s);
        }
        for (; s < k; s++)
        {
            float* r = rows + indices[s] * dimension;
            TVector a = TOps.Multiply(x0, TOps.Load(r)), b = TOps.Multiply(x1, TOps.Load(r + lanes));
            a = TOps.MultiplyAdd(x2, TOps.Load(r + 2 * lanes), a);
            b = TOps.MultiplyAdd(x3, TOps.Load(r + 3 * lanes), b);
            a = TOps.MultiplyAdd(x4, TOps.Load(r + 4 * lanes), a);
            b = TOps.MultiplyAdd(x5, TOps.Load(r + 5 * lanes), b);
            a = TOps.MultiplyAdd(x6, TOps.Load(r + 6 * lanes), a);
            b = TOps.MultiplyAdd(x7, TOps.Load(r + 7 * lanes), b);
            float dot = TOps.Sum(TOps.Add(a, b));
            result[s] = add ? result[s] + dot : dot;
        }
    }

    private static void Dot4(float* x, float* r0, float* r1, float* r2, float* r3, int start, int end, float* result, bool add)
    {
        int lanes = TOps.Count, t = start;
        TVector a0 = TOps.Zero, b0 = TOps.Zero, a1 = TOps.Zero, b1 = TOps.Zero, a2 = TOps.Zero, b2 = TOps.Zero, a3 = TOps.Zero, b3 = TOps.Zero;
        for (; t <= end - 2 * lanes; t += 2 * lanes)
        {
            var x0 = TOps.Load(x + t);
            var x1 = TOps.Load(x + t + lanes);
            a0 = TOps.MultiplyAdd(x0, TOps.Load(r0 + t), a0);
            b0 = TOps.MultiplyAdd(x1, TOps.Load(r0 + t + lanes), b0);
            a1 = TOps.MultiplyAdd(x0, TOps.Load(r1 + t), a1);
            b1 = TOps.MultiplyAdd(x1, TOps.Load(r1 + t + lanes), b1);
            a2 = TOps.MultiplyAdd(x0, TOps.Load(r2 + t), a2);
            b2 = TOps.MultiplyAdd(x1, TOps.Load(r2 + t + lanes), b2);
            a3 = TOps.MultiplyAdd(x0, TOps.Load(r3 + t), a3);
            b3 = TOps.MultiplyAdd(x1, TOps.Load(r3 + t + lanes), b3);
        }
        if (t <= end - lanes)
        {
            var x0 = TOps.Load(x + t);
            a0 = TOps.MultiplyAdd(x0, TOps.Load(r0 + t), a0);
            a1 = TOps.MultiplyAdd(x0, TOps.Load(r1 + t), a1);
            a2 = TOps.MultiplyAdd(x0, TOps.Load(r2 + t), a2);
            a3 = TOps.MultiplyAdd(x0, TOps.Load(r3 + t), a3);
            t += lanes;
        }
        var sums = TOps.Sum4(TOps.Add(a0, b0), TOps.Add(a1, b1), TOps.Add(a2, b2), TOps.Add(a3, b3));
        if (t < end)
        {
            float d0 = 0, d1 = 0, d2 = 0, d3 = 0;
            for (; t < end; t++)
            {
                d0 = MathF.FusedMultiplyAdd(x[t], r0[t], d0);
                d1 = MathF.FusedMultiplyAdd(x[t], r1[t], d1);
                d2 = MathF.FusedMultiplyAdd(x[t], r2[t], d2);
                d3 = MathF.FusedMultiplyAdd(x[t], r3[t], d3);
            }
            sums += Vector128.Create(d0, d1, d2, d3);
        }
        if (add) sums += Vector128.Load(result);
        sums.Store(result);
    }

    private static float Dot(float* x, float* row, int start, int end)
    {
        int lanes = TOps.Count, t = start;
        TVector a = TOps.Zero, b = TOps.Zero;
        for (; t <= end - 2 * lanes; t += 2 * lanes)
        {
            a = TOps.MultiplyAdd(TOps.Load(x + t), TOps.Load(row + t), a);
            b = TOps.MultiplyAdd(TOps.Load(x + t + lanes), TOps.Load(row + t + lanes), b);
        }
        if (t <= end - lanes)
        {
            a = TOps.MultiplyAdd(TOps.Load(x + t), TOps.Load(row + t), a);
            t += lanes;
        }
        float dot = TOps.Sum(TOps.Add(a, b));
        for (; t < end; t++) dot = MathF.FusedMultiplyAdd(x[t], row[t], dot);
        return dot;
    }

    /// <summary>
    /// For one latent: <c>gradientA[t] += sum_e entries[e].CoefficientA * vectorsA[entries[e].Sample, t]</c> and the
    /// same for B, over entries e in [first, end) (in order) and t in the slab. Both gradient slices
    /// are accumulated in registers from zero, 8 + 8 vectors at a time (4 + 4 with 256-bit vectors), and
    /// added to the gradients at the end (so the gradient load, often a cache miss, overlaps the FMAs). Without
    /// <paramref name="accumulate"/> the sums are stored instead: bitwise what adding them to zeroed gradients gives (the
    /// register sums start from +0, so they are never -0).
    /// </summary>
    public static void ScatterLatent(
        ScatterEntry* entries, int first, int end,
        float* vectorsA, float* vectorsB, nint dimension, int start, int width, float* gradientA, float* gradientB, bool accumulate = true)
    {
        int lanes = TOps.Count, stop = start + width, t = start;
        if (WideRegisterFile)
        {
            for (; t <= stop - 8 * lanes; t += 8 * lanes) ScatterChunk(entries, first, end, vectorsA + t, vectorsB + t, dimension, gradientA + t, gradientB + t, accumulate);
        }
        else
        {
            for (; t <= stop - 4 * lanes; t += 4 * lanes) ScatterChunk4(entries, first, end, vectorsA + t, vectorsB + t, dimension, gradientA + t, gradientB + t, accumulate);
        }
        for (; t <= stop - lanes; t += lanes)
        {
            TVector sumA = TOps.Zero, sumB = TOps.Zero;
            for (int e = first; e < end; e++)
            {
                nint offset = entries[e].Sample * dimension + t;
                sumA = TOps.MultiplyAdd(TOps.Broadcast(entries[e].CoefficientA), TOps.Load(vectorsA + offset), sumA);
                sumB = TOps.MultiplyAdd(TOps.Broadcast(entries[e].CoefficientB), TOps.Load(vectorsB + offset), sumB);
            }
            TOps.Store(accumulate ? TOps.Add(TOps.Load(gradientA + t), sumA) : sumA, gradientA + t);
            TOps.Store(accumulate ? TOps.Add(TOps.Load(gradientB + t), sumB) : sumB, gradientB + t);
        }
        for (; t < stop; t++)
        {
            float sumA = 0, sumB = 0;
            for (int e = first; e < end; e++)
            {
                nint offset = entries[e].Sample * dimension + t;
                sumA = MathF.FusedMultiplyAdd(entries[e].CoefficientA, vectorsA[offset], sumA);
                sumB = MathF.FusedMultiplyAdd(entries[e].CoefficientB, vectorsB[offset], sumB);
            }
            gradientA[t] = accumulate ? gradientA[t] + sumA : sumA;
            gradientB[t] = accumulate ? gradientB[t] + sumB : sumB;
        }
    }

    /// <summary>
    /// <see cref="ScatterLatent"/> for one chunk of 4 vectors: 4 + 4 accumulators for the 16 ymm registers
    /// of AVX2 (with 8 + 8 and the two broadcasts the JIT spills two accumulators to the stack every entry).
    /// Same per-element order as <see cref="ScatterChunk"/>; <see cref="PackedBlockScatter{TOps, TVector}"/> calls it directly for its 32-float slabs.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void ScatterChunk4(
        ScatterEntry* entries, int first, int end,
        float* vectorsA, float* vectorsB, nint dimension, float* gradientA, float* gradientB, bool accumulate = true)
    {
        int lanes = TOps.Count;
        TVector a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero;
        TVector b0 = TOps.Zero, b1 = TOps.Zero, b2 = TOps.Zero, b3 = TOps.Zero;
        for (ScatterEntry* entry = entries + first, stop = entries + end; entry < stop; entry++)
        {
            nint offset = entry->Sample * dimension;
            float* x = vectorsA + offset;
            float* y = vectorsB + offset;
            var c = TOps.Broadcast(entry->CoefficientA);
            var g = TOps.Broadcast(entry->CoefficientB);
            a0 = TOps.MultiplyAdd(c, TOps.Load(x), a0);
            b0 = TOps.MultiplyAdd(g, TOps.Load(y), b0);
            a1 = TOps.MultiplyAdd(c, TOps.Load(x + lanes), a1);
            b1 = TOps.MultiplyAdd(g, TOps.Load(y + lanes), b1);
            a2 = TOps.MultiplyAdd(c, TOps.Load(x + 2 * lanes), a2);
            b2 = TOps.MultiplyAdd(g, TOps.Load(y + 2 * lanes), b2);
            a3 = TOps.MultiplyAdd(c, TOps.Load(x + 3 * lanes), a3);
            b3 = TOps.MultiplyAdd(g, TOps.Load(y + 3 * lanes), b3);
        }
        if (accumulate)
        {
            a0 = TOps.Add(TOps.Load(gradientA), a0);
            a1 = TOps.Add(TOps.Load(gradientA + lanes), a1);
            a2 = TOps.Add(TOps.Load(gradientA + 2 * lanes), a2);
            a3 = TOps.Add(TOps.Load(gradientA + 3 * lanes), a3);
            b0 = TOps.Add(TOps.Load(gradientB), b0);
            b1 = TOps.Add(TOps.Load(gradientB + lanes), b1);
            b2 = TOps.Add(TOps.Load(gradientB + 2 * lanes), b2);
            b3 = TOps.Add(TOps.Load(gradientB + 3 * lanes), b3);
        }
        TOps.Store(a0, gradientA);
        TOps.Store(a1, gradientA + lanes);
        TOps.Store(a2, gradientA + 2 * lanes);
        TOps.Store(a3, gradientA + 3 * lanes);
        TOps.Store(b0, gradientB);
        TOps.Store(b1, gradientB + lanes);
        TOps.Store(b2, gradientB + 2 * lanes);
        TOps.Store(b3, gradientB + 3 * lanes);
    }

    private static void ScatterChunk(
        ScatterEntry* entries, int first, int end,
        float* vectorsA, float* vectorsB, nint dimension, float* gradientA, float* gradientB, bool accumulate)
    {
        int lanes = TOps.Count;
        TVector a0 = TOps.Zero, a1 = TOps.Zero, a2 = TOps.Zero, a3 = TOps.Zero, a4 = TOps.Zero, a5 = TOps.Zero, a6 = TOps.Zero, a7 = TOps.Zero;
        TVector b0 = TOps.Zero, b1 = TOps.Zero, b2 = TOps.Zero, b3 = TOps.Zero, b4 = TOps.Zero, b5 = TOps.Zero, b6 = TOps.Zero, b7 = TOps.Zero;
        for (int e = first; e < end; e++)
        {
            var entry = entries[e];
            nint offset = entry.Sample * dimension;
            float* x = vectorsA + offset;
            float* y = vectorsB + offset;
            var c = TOps.Broadcast(entry.CoefficientA);
            var g = TOps.Broadcast(entry.CoefficientB);
            a0 = TOps.MultiplyAdd(c, TOps.Load(x), a0);
            b0 = TOps.MultiplyAdd(g, TOps.Load(y), b0);
            a1 = TOps.MultiplyAdd(c, TOps.Load(x + lanes), a1);
            b1 = TOps.MultiplyAdd(g, TOps.Load(y + lanes), b1);
            a2 = TOps.MultiplyAdd(c, TOps.Load(x + 2 * lanes), a2);
            b2 = TOps.MultiplyAdd(g, TOps.Load(y + 2 * lanes), b2);
            a3 = TOps.MultiplyAdd(c, TOps.Load(x + 3 * lanes), a3);
            b3 = TOps.MultiplyAdd(g, TOps.Load(y + 3 * lanes), b3);
            a4 = TOps.MultiplyAdd(c, TOps.Load(x + 4 * lanes), a4);
            b4 = TOps.MultiplyAdd(g, TOps.Load(y + 4 * lanes), b4);
            a5 = TOps.MultiplyAdd(c, TOps.Load(x + 5 * lanes), a5);
            b5 = TOps.MultiplyAdd(g, TOps.Load(y + 5 * lanes), b5);
            a6 = TOps.MultiplyAdd(c, TOps.Load(x + 6 * lanes), a6);
            b6 = TOps.MultiplyAdd(g, TOps.Load(y + 6 * lanes), b6);
            a7 = TOps.MultiplyAdd(c, TOps.Load(x + 7 * lanes), a7);
            b7 = TOps.MultiplyAdd(g, TOps.Load(y + 7 * lanes), b7);
        }
        if (accumulate)
        {
            a0 = TOps.Add(TOps.Load(gradientA), a0);
            a1 = TOps.Add(TOps.Load(gradientA + lanes), a1);
            a2 = TOps.Add(TOps.Load(gradientA + 2 * lanes), a2);
            a3 = TOps.Add(TOps.Load(gradientA + 3 * lanes), a3);
            a4 = TOps.Add(TOps.Load(gradientA + 4 * lanes), a4);
            a5 = TOps.Add(TOps.Load(gradientA + 5 * lanes), a5);
            a6 = TOps.Add(TOps.Load(gradientA + 6 * lanes), a6);
            a7 = TOps.Add(TOps.Load(gradientA + 7 * lanes), a7);
            b0 = TOps.Add(TOps.Load(gradientB), b0);
            b1 = TOps.Add(TOps.Load(gradientB + lanes), b1);
            b2 = TOps.Add(TOps.Load(gradientB + 2 * lanes), b2);
            b3 = TOps.Add(TOps.Load(gradientB + 3 * lanes), b3);
            b4 = TOps.Add(TOps.Load(gradientB + 4 * lanes), b4);
            b5 = TOps.Add(TOps.Load(gradientB + 5 * lanes), b5);
            b6 = TOps.Add(TOps.Load(gradientB + 6 * lanes), b6);
            b7 = TOps.Add(TOps.Load(gradientB + 7 * lanes), b7);
        }
        TOps.Store(a0, gradientA);
        TOps.Store(a1, gradientA + lanes);
        TOps.Store(a2, gradientA + 2 * lanes);
        TOps.Store(a3, gradientA + 3 * lanes);
        TOps.Store(a4, gradientA + 4 * lanes);
        TOps.Store(a5, gradientA + 5 * lanes);
        TOps.Store(a6, gradientA + 6 * lanes);
        TOps.Store(a7, gradientA + 7 * lanes);
        TOps.Store(b0, gradientB);
        TOps.Store(b1, gradientB + lanes);
        TOps.Store(b2, gradientB + 2 * lanes);
        TOps.Store(b3, gradientB + 3 * lanes);
        TOps.Store(b4, gradientB + 4 * lanes);
        TOps.Store(b5, gradientB + 5 * lanes);
        TOps.Store(b6, gradientB + 6 * lanes);
        TOps.Store(b7, gradientB + 7 * lanes);
    }
}

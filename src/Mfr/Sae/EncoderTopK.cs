using System.Diagnostics;
using Mfr.Numerics;

namespace Mfr.Sae;

/// <summary>
/// The fp32 encoder and its TopK in one pass (issue 16 item 1): <c>a = W x + b</c> by
/// <see cref="Gemm.MultiplyTransposedAddRowVector"/>, whose parts select each finished block of rows' TopK while the
/// rows are still in L2 (<see cref="GemmRowsDone"/>), instead of a second pass reading the [B, h] pre-activations back
/// from memory (20 MB at the synthetic shape, where that read made most of the TopK's time). The selection is the
/// selected TopK variant on those rows, one thread each, so indices and values are exactly those of
/// <see cref="TopK.Select"/> on the whole matrix; <c>a</c> is still written whole (AuxK reads it).
/// </summary>
internal static unsafe class EncoderTopK
{
    /// <summary>
    /// Writes a = x W^T + b into <paramref name="preActivations"/> and its TopK into <paramref name="indices"/> and
    /// <paramref name="values"/>; returns the Stopwatch ticks the selections took, summed over threads, and how many
    /// threads ran them at most (so a timer can give the TopK its share of the fused call).
    /// </summary>
    /// <param name="inputs">x, <c>[B, d]</c>.</param>
    /// <param name="weights">W, <c>[h, d]</c>.</param>
    /// <param name="bias">b, <c>[h]</c>.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="inputDim">d.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="k">Active latents per sample.</param>
    /// <param name="preActivations">a, <c>[B, h]</c>, overwritten.</param>
    /// <param name="indices">TopK columns, <c>[B, k]</c>, ascending per row.</param>
    /// <param name="values">Their values, <c>[B, k]</c>.</param>
    public static (long SelectionTicks, int Threads) Run(
        ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k,
        Span<float> preActivations, Span<int> indices, Span<float> values)
    {
        TopK.CheckShapes(preActivations.Length, indices.Length, values.Length, batchSize, latentCount, k);
        fixed (float* pa = preActivations, pv = values)
        fixed (int* pi = indices)
        {
            var state = new State { PreActivations = pa, Indices = pi, Values = pv, LatentCount = latentCount, K = k };
            Gemm.MultiplyTransposedAddRowVectorWith(inputs, weights, bias, batchSize, latentCount, inputDim, preActivations,
                KernelRegistry.Gemm.Selected, Parallelism.MaxThreads, new GemmRowsDone(&SelectRows, &state));
            return (state.Ticks, Math.Max(1, Math.Min(Parallelism.MaxThreads, state.Calls)));
        }
    }

    private struct State
    {
        public float* PreActivations, Values;
        public int* Indices;
        public int LatentCount, K, Calls;
        public long Ticks;
    }

    /// <summary>TopK of rows [first, end), on the calling thread.</summary>
    private static void SelectRows(void* state, int first, int end)
    {
        var s = (State*)state;
        long start = Stopwatch.GetTimestamp();
        int rows = end - first, h = s->LatentCount, k = s->K;
        KernelRegistry.TopK.Selected.Select(
            new ReadOnlySpan<float>(s->PreActivations + (long)first * h, rows * h), rows, h, k,
            new Span<int>(s->Indices + (long)first * k, rows * k), new Span<float>(s->Values + (long)first * k, rows * k), maxThreads: 1);
        Interlocked.Add(ref s->Ticks, Stopwatch.GetTimestamp() - start);
        Interlocked.Increment(ref s->Calls);
    }
}

using System.Globalization;
using Mfr.Numerics;
using Mfr.Sae;
using Mfr.Synthetic;

namespace Mfr.Bench.Numerics;

/// <summary>
/// Every kernel of one synthetic training step, timed alone on the step's own buffers (issue 16 items 1, 7):
/// <c>Mfr.Bench step-timings [B d h k [name filter]]</c> (default the paper's synthetic shape, B 10,000, d 256, h 512, k 32).
/// Each kernel runs with 1 thread and with all of them, so the table shows both where a step's time goes and
/// how each piece scales; the sum of a phase's kernels is what `mfr bench` reports for the phase, minus the
/// cache effects of the neighbouring phases. The synthetic data uses d as its width and n = h features.
/// <para>
/// Floors per step at the synthetic shape (issue 16 item 1), 2 threads, from the FMA peak (373 GFLOP/s, `mfr bench` on a
/// Xeon model 207, 2 cores) and a streaming copy of 10-20 MB buffers (64 GB/s; 32 GB/s on one thread; ~28 GB/s beyond
/// 80 MB): encoder 2 B d h = 2.62 GFLOP, 7.0 ms; data 164 MFLOP of decode (0.44 ms) and 10 MB written (0.16 ms), plus
/// the sampler's compute; TopK 20 MB read (0.32 ms); decode with loss and dL/dz 328 MFLOP (0.88 ms; 33 MB, 0.52 ms);
/// backward scatter 328 MFLOP (0.88 ms; ~26 MB, 0.41 ms); AdamW and renormalisation ~5 MB (0.08 ms). Together about
/// 3.3 ms against 7.8 ms of encoder at 90% of peak: the goal of 0.5x leaves every phase within ~10% of its floor.
/// </para>
/// <para>
/// Those floors count bytes from memory, but the sparse phases are bound one level up: the decoder (512 KB) sits in
/// L2, and each of the B k (sample, latent) pairs moves a 1 KB row from L2 to L1. The row "floor: read the decode's
/// rows, no arithmetic" times exactly that movement; the decode, the generator's decode and each of the backward
/// scatter's two gradients move the same rows, so together at least four times that row read (README, "Speed").
/// </para>
/// </summary>
internal static class StepPhaseTimings
{
    public static void Run(TextWriter output, string[] args)
    {
        int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
        int b = Arg(0, 10_000), d = Arg(1, 256), h = Arg(2, 512), k = Arg(3, 32);
        var config = new SaeConfig(d, h, k);
        using var sae = new TopKSae(config);
        sae.Initialize(1);
        using var workspace = new SaeWorkspace(config, b);
        using var optimizer = new SaeOptimizer(config, new AdamSettings(1e-4f));
        var dataConfig = new SyntheticDataConfig(InputDim: d, FeatureCount: Math.Max(h, 12 * 32), Seed: 1);
        using var source = new SyntheticDataSource(dataConfig);
        using var inputs = new AlignedBuffer((long)b * d);
        long batch = 0;
        source.ReadBatch(batch, b, inputs.Span);
        SaeComputation.Forward(sae, inputs.Span, b, workspace);
        SaeComputation.Backward(sae, inputs.Span, workspace);

        int maxThreads = Parallelism.MaxThreads;
        output.WriteLine($"Step kernels, B={b} d={d} h={h} k={k}; median / min ms of repeats (shared machine: noisy).");
        output.WriteLine($"{"",-17}{"kernel",-34} {"threads",7} {"median ms",10} {"min ms",9} {"rate",16}");
        double sparseFlops = 2.0 * b * k * d;
        int cachedRows = Math.Min(b, Math.Max(1, (1 << 20) / (4 * h)));
        var kernels = new (string Name, Action Body, double Work, string Unit)[]
        {
            ("data: whole batch", () => source.ReadBatch(++batch, b, inputs.Span), (double)b * d * 4, "B"),
            ("data: before (Vector256 sampler, sample order)", () => source.ReadBatchWith(++batch, b, inputs.Span, KernelRegistry.Sampler.Get("portable"), KernelRegistry.Sparse.Selected, Parallelism.MaxThreads, groupOrder: false), (double)b * d * 4, "B"),
            ("encoder: GEMM", () => Gemm.MultiplyTransposed(inputs.Span, sae.Weights, b, h, d, workspace.PreActivations), 2.0 * b * d * h, "GFLOP"),
            ("encoder: bias pass", () => KernelRegistry.SaeStep.Selected.AddRowVector(workspace.PreActivations, sae.Bias, b, h, Parallelism.MaxThreads), (double)b * h * 8, "B"),
            ("encoder: GEMM + bias (fused)", () => Gemm.MultiplyTransposedAddRowVector(inputs.Span, sae.Weights, sae.Bias, b, h, d, workspace.PreActivations), 2.0 * b * d * h, "GFLOP"),
            ("encoder: GEMM + bias + TopK (fused)", () => EncoderTopK.Run(inputs.Span, sae.Weights, sae.Bias, b, d, h, k, workspace.PreActivations, workspace.Indices, workspace.Values), 2.0 * b * d * h, "GFLOP"),
            ("topk: select", () => TopK.Select(workspace.PreActivations, b, h, k, workspace.Indices, workspace.Values), b, "rows"),
            // The fused encoder selects each block of rows while it is in L2: the same rows over and over (1 MB of them) stand for that.
            ("topk: select, 1 MB of rows again", () => TopK.Select(workspace.PreActivations[..(cachedRows * h)], cachedRows, h, k, workspace.Indices, workspace.Values), cachedRows, "rows"),
            ("topk: activate", () => KernelRegistry.SaeStep.Selected.Activate(workspace.Indices, workspace.Values, b, k, h, false, workspace.Activations, workspace.FireCounts, workspace.PartialFireCounts, Parallelism.MaxThreads), b, "rows"),
            ("decode: decode, loss, dots (fused)", () => SparseKernels.DecodeLossAndDots(workspace.Indices, workspace.Activations, sae.Decoder, default, inputs.Span, b, k, d, workspace.Reconstruction, workspace.ReconstructionGradient, workspace.ActivationGradient), 2 * sparseFlops, "GFLOP"),
            ("floor: read the decode's rows, no arithmetic", () => ReadRows(workspace.Indices, sae.Decoder, b, k, d), (double)b * k * d * 4, "B"),
            ("decode: decode", () => SparseKernels.Decode(workspace.Indices, workspace.Activations, sae.Decoder, b, k, d, workspace.Reconstruction), sparseFlops, "GFLOP"),
            ("decode: loss and gradient", () => KernelRegistry.SaeStep.Selected.SquaredErrorAndGradient(workspace.Reconstruction, inputs.Span, b, d, workspace.ReconstructionGradient, Parallelism.MaxThreads), (double)b * d * 12, "B"),
            ("decode: whole forward", () => SaeComputation.Forward(sae, inputs.Span, b, workspace), 2.0 * b * d * h, "GFLOP"),
            ("backward: gather dots", () => SparseKernels.GatherDots(workspace.Indices, workspace.ReconstructionGradient, sae.Decoder, b, k, d, workspace.ActivationGradient), sparseFlops, "GFLOP"),
            ("backward: scatter pair", () => SparseKernels.ScatterAddPair(workspace.Indices, workspace.Activations, workspace.ReconstructionGradient, workspace.ActivationGradient, inputs.Span, b, k, d, h, workspace.DecoderGradient, workspace.WeightGradient, workspace.BiasGradient), 2 * sparseFlops, "GFLOP"),
            ("backward: scatter pair (overwrite)", () => SparseKernels.ScatterPair(workspace.Indices, workspace.Activations, workspace.ReconstructionGradient, workspace.ActivationGradient, inputs.Span, b, k, d, h, workspace.DecoderGradient, workspace.WeightGradient, workspace.BiasGradient), 2 * sparseFlops, "GFLOP"),
            ("backward: project", () => KernelRegistry.SaeStep.Selected.ProjectDecoderGradient(sae.Decoder, sae.RowNorms, workspace.DecoderGradient, h, d, workspace.WeightGradient, Parallelism.MaxThreads), (double)h * d * 16, "B"),
            ("backward: whole", () => SaeComputation.Backward(sae, inputs.Span, workspace), 3 * sparseFlops, "GFLOP"),
            ("optimizer: whole", () => optimizer.Step(sae, workspace), (double)h * d, "params"),
            ("optimizer: renormalise", () => sae.RefreshDecoder(), (double)h * d * 8, "B"),
        };
        try
        {
            foreach (var (name, body, work, unit) in kernels)
            {
                if (args.Length > 4 && !name.Contains(args[4], StringComparison.Ordinal)) continue;
                foreach (int threads in maxThreads > 1 ? new[] { 1, maxThreads } : [1])
                {
                    Parallelism.MaxThreads = threads;
                    // CPU time per call beside the wall times: on a machine shared with other jobs, wall time counts the time the
                    // kernel waited for a core; with 1 thread the CPU time does not (with more it also counts workers' spinning).
                    using var process = System.Diagnostics.Process.GetCurrentProcess();
                    var cpuBefore = process.TotalProcessorTime;
                    var times = KernelTimings.Measure(body, 0.5);
                    process.Refresh();
                    double cpuMilliseconds = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / (times.Length + 1);
                    output.Write(string.Create(CultureInfo.InvariantCulture, $"cpu {cpuMilliseconds,7:F3} ms  "));
                    KernelTimings.Report(output, name, threads, times, work, unit);
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = maxThreads;
        }
    }

    /// <summary>
    /// The decode's memory floor: every sample's k decoder rows read into registers and added (one add per load, as the
    /// decode has one FMA per load), threaded like the decode. At d = 256 a row is 1 KB and the decoder 512 KB, so this
    /// times moving B k rows from L2 to L1; a sparse kernel that touches each (sample, latent) row once cannot beat it.
    /// </summary>
    private static unsafe void ReadRows(int[] indices, ReadOnlySpan<float> rows, int batchSize, int k, int d)
    {
        fixed (int* pi = indices)
        fixed (float* pr = rows)
        {
            var work = new ReadRowsWork { Indices = pi, Rows = pr, K = k, D = d, BatchSize = batchSize };
            WorkerPool.Run(ref work, (batchSize + 255) / 256, Parallelism.MaxThreads);
        }
    }

    private unsafe struct ReadRowsWork : IParallelWork
    {
        /// <summary>Where each part leaves its sum, so the reads are not dropped as dead code.</summary>
        public static float Sink;
        public int* Indices;
        public float* Rows;
        public int K, D, BatchSize;

        public readonly void Execute(int part)
        {
            var sum = System.Runtime.Intrinsics.Vector512<float>.Zero;
            var other = sum;
            int end = Math.Min(BatchSize, (part + 1) * 256);
            for (int sample = part * 256; sample < end; sample++)
                for (int s = 0; s < K; s++)
                {
                    float* row = Rows + (nint)Indices[sample * K + s] * D;
                    int t = 0;
                    for (; t + 32 <= D; t += 32)
                    {
                        sum += System.Runtime.Intrinsics.Vector512.Load(row + t);
                        other += System.Runtime.Intrinsics.Vector512.Load(row + t + 16);
                    }
                }
            Sink = System.Runtime.Intrinsics.Vector512.Sum(sum + other);
        }
    }
}

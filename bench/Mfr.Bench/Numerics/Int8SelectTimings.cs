using System.Globalization;
using Mfr.Numerics;
using Mfr.Synthetic;

namespace Mfr.Bench.Numerics;

/// <summary>
/// The int8-select encoder against the fp32 encoder (issue 16 item 4) at the synthetic shape (B 10,000, d 256,
/// h 512, k 32, synthetic data) and the EEG shape (B 1024, d 4750, h 4096, k 24, Gaussian rows): <c>dotnet run -c
/// Release --project bench/Mfr.Bench -- int8-timings [B d h k]</c>. fp32 is what a training step runs before the
/// sparse phases: the GEMM, the bias add and TopK; int8-select replaces all three (W is quantised inside every
/// call, as W changes every step). W is orthogonal, as an SAE starts (its pre-activations are closer together than
/// a trained SAE's, so the bound admits more candidates). Prints median and minimum of each, the speed-up of the
/// medians, mean candidates per row, and checks both select the same latents.
/// </summary>
internal static class Int8SelectTimings
{
    public static void Run(TextWriter output, string[] args)
    {
        var shapes = args.Length >= 4
            ? [(Parse(args[0]), Parse(args[1]), Parse(args[2]), Parse(args[3]))]
            : new[] { (10_000, 256, 512, 32), (1024, 4750, 4096, 24) };
        output.WriteLine($"int8-select vs fp32 encoder, {Parallelism.MaxThreads} threads; load {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine($"int8select {KernelVariant.NameOf(KernelRegistry.Int8Select.Selected.Level)} ({KernelRegistry.Int8Select.Selected.Description}), gemm {KernelVariant.NameOf(KernelRegistry.Gemm.Selected.Level)}, topk {KernelVariant.NameOf(KernelRegistry.TopK.Selected.Level)}");
        output.WriteLine($"{"B",6} {"d",5} {"h",5} {"k",3} {"fp32 ms",8} {"min",7} {"int8 ms",8} {"min",7} {"speed-up",8} {"cand/row",8} {"same",5}  int8 phases of the last call, ms: quantise W, quantise x, product, select");
        foreach (var (b, d, h, k) in shapes) RunShape(output, b, d, h, k);
    }

    private static int Parse(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static void RunShape(TextWriter output, int batchSize, int d, int h, int k)
    {
        using var inputs = new AlignedBuffer((long)batchSize * d);
        using var weights = new AlignedBuffer((long)h * d);
        using var bias = new AlignedBuffer(h);
        using var preActivations = new AlignedBuffer((long)batchSize * h);
        using var buffers = new Int8SelectBuffers(batchSize, d, h);
        var rng = new Rng(7);
        if (d == new SyntheticDataConfig().InputDim)
        {
            using var source = new SyntheticDataSource(new SyntheticDataConfig(InputDim: d, FeatureCount: Math.Max(2 * d, 24), Seed: 1));
            source.ReadBatch(0, batchSize, inputs.Span);
        }
        else
        {
            rng.FillGaussian(inputs.Span);
        }
        Orthogonal.Fill(weights.Span, h, d, ref rng);
        var fp32Indices = new int[batchSize * k];
        var fp32Values = new float[batchSize * k];
        var int8Indices = new int[batchSize * k];
        var int8Values = new float[batchSize * k];
        double seconds = d * (double)h * batchSize > 1e10 ? 3 : 1.5;
        var fp32 = KernelTimings.Measure(() =>
        {
            Gemm.MultiplyTransposed(inputs.Span, weights.Span, batchSize, h, d, preActivations.Span);
            KernelRegistry.SaeStep.Selected.AddRowVector(preActivations.Span, bias.Span, batchSize, h, Parallelism.MaxThreads);
            TopK.Select(preActivations.Span, batchSize, h, k, fp32Indices, fp32Values);
        }, seconds);
        long candidates = 0;
        var int8 = KernelTimings.Measure(() => candidates = Int8SelectEncoder.Encode(inputs.Span, weights.Span, bias.Span, batchSize, d, h, k, buffers, int8Indices, int8Values), seconds);
        var times = buffers.LastTimes;
        bool same = fp32Indices.AsSpan().SequenceEqual(int8Indices);
        double fp32Median = fp32[fp32.Length / 2], int8Median = int8[int8.Length / 2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{batchSize,6} {d,5} {h,5} {k,3} {fp32Median * 1e3,8:F2} {fp32[0] * 1e3,7:F2} {int8Median * 1e3,8:F2} {int8[0] * 1e3,7:F2} {fp32Median / int8Median,8:F2} {(double)candidates / batchSize,8:F1} {(same ? "yes" : "NO"),5}  {times.WeightQuantisation * 1e3:F2} {times.InputQuantisation * 1e3:F2} {times.Product * 1e3:F2} {times.Selection * 1e3:F2}"));
    }
}

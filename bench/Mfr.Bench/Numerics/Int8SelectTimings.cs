using System.Globalization;
using Mfr.Numerics;
using Mfr.Synthetic;

namespace Mfr.Bench.Numerics;

/// <summary>
/// The int8-select encoder against the fp32 encoder (issue 16 item 4) at the synthetic shape (B 10,000, d 256,
/// h 512, k 32, synthetic data) and the EEG shape (B 1024, d 4750, h 4096, k 24, Gaussian rows): <c>dotnet run -c
/// Release --project bench/Mfr.Bench -- int8-timings [--trained STEPS] [--kernel avx-vnni|avx512bw|avx2|portable] [B d h k]</c> (with --trained, W and b come from
/// an SAE trained that many steps on the synthetic data, and x from a later batch). fp32 is what a training step runs before the
/// sparse phases: the GEMM, the bias add and TopK; int8-select replaces all three (W is quantised inside every
/// call, as W changes every step). W is orthogonal, as an SAE starts (its pre-activations are closer together than
/// a trained SAE's, so the bound admits more candidates). Prints median and minimum of each, the speed-up of the
/// medians, mean candidates per row, and checks both select the same latents.
/// </summary>
internal static class Int8SelectTimings
{
    public static void Run(TextWriter output, string[] args)
    {
        int trainedSteps = 0;
        IInt8SelectKernel kernel = KernelRegistry.Int8Select.Selected;
        while (args is [var flag, var value, ..] && flag.StartsWith("--", StringComparison.Ordinal))
        {
            if (flag == "--trained") trainedSteps = Parse(value);
            else if (flag == "--kernel") kernel = MicroKernel(value);
            else throw new ArgumentException($"int8-timings takes --trained STEPS and --kernel avx-vnni|avx512bw|avx2|portable, got {flag}.");
            args = args[2..];
        }
        var shapes = args.Length >= 4
            ? [(Parse(args[0]), Parse(args[1]), Parse(args[2]), Parse(args[3]))]
            : new[] { (10_000, 256, 512, 32), (1024, 4750, 4096, 24) };
        output.WriteLine($"int8-select vs fp32 encoder, {Parallelism.MaxThreads} threads; load {File.ReadAllText("/proc/loadavg").Trim()}");
        output.WriteLine($"int8select {KernelVariant.NameOf(kernel.Level)} ({kernel.Description}), gemm {KernelVariant.NameOf(KernelRegistry.Gemm.Selected.Level)}, topk {KernelVariant.NameOf(KernelRegistry.TopK.Selected.Level)}");
        output.WriteLine($"{"B",6} {"d",5} {"h",5} {"k",3} {"fp32 ms",8} {"min",7} {"int8 ms",8} {"min",7} {"speed-up",8} {"cand/row",8} {"same",5}  int8 phases of the last call, ms: quantise W, quantise x, product, select");
        foreach (var (b, d, h, k) in shapes) RunShape(output, b, d, h, k, trainedSteps, kernel);
    }

    /// <summary>
    /// W and b of an SAE trained <paramref name="steps"/> baseline steps on the synthetic data (fp32), and a batch it
    /// has not seen: a trained SAE's top pre-activations stand further apart than an initial one's.
    /// </summary>
    private static void Train(Span<float> inputs, int batchSize, int d, int h, int k, int steps, Span<float> weights, Span<float> bias)
    {
        var data = new SyntheticDataConfig(InputDim: d, FeatureCount: Math.Max(2 * d, 24), Seed: 1);
        using var source = new SyntheticDataSource(data);
        var config = new Mfr.Training.TrainingConfig(SampleCount: (long)batchSize * steps, BatchSize: batchSize, CheckpointEverySteps: 0, EvaluationEverySteps: 0);
        using var trainer = new Mfr.Training.Trainer(config, [new Mfr.Sae.SaeConfig(d, h, k)], source);
        for (int step = 0; step < steps; step++) trainer.TrainStep();
        trainer.Members[0].Sae.Weights.CopyTo(weights);
        trainer.Members[0].Sae.Bias.CopyTo(bias);
        source.ReadBatch(steps + 1, batchSize, inputs);
    }

    /// <summary>One micro-kernel by name (the registry's AVX-512 level picks AVX-VNNI or AVX-512BW; this times either).</summary>
    private static IInt8SelectKernel MicroKernel(string name)
    {
        IInt8SelectKernel kernel = name switch
        {
            "avx-vnni" => new Int8SelectVectorKernel<Int8MicroKernelAvxVnni>(KernelLevel.Avx512, "AVX-VNNI vpdpbusd 6 x 16 ymm tile"),
            "avx512bw" => new Int8SelectVectorKernel<Int8MicroKernelAvx512Bw>(KernelLevel.Avx512, "AVX-512BW vpmaddubsw 8 x 32 zmm tile"),
            "avx2" => new Int8SelectVectorKernel<Int8MicroKernelAvx2>(KernelLevel.Avx2, "AVX2 vpmaddubsw 4 x 16 ymm tile"),
            "portable" => new Int8SelectVectorKernel<Int8MicroKernelPortable>(KernelLevel.Portable, "Vector256 widening 4 x 16 tile"),
            _ => throw new ArgumentException($"--kernel must be avx-vnni, avx512bw, avx2 or portable, got '{name}'."),
        };
        return kernel.UnsupportedReason is string reason ? throw new ArgumentException($"--kernel {name} cannot run here: {reason}.") : kernel;
    }

    /// <summary>Rows of the bound's tightness check.</summary>
    private const int BoundRows = 16;

    private static int Parse(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    private static void RunShape(TextWriter output, int batchSize, int d, int h, int k, int trainedSteps, IInt8SelectKernel kernel)
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
        if (trainedSteps > 0) Train(inputs.Span, batchSize, d, h, k, trainedSteps, weights.Span, bias.Span);
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
        var int8 = KernelTimings.Measure(() => candidates = Int8SelectEncoder.EncodeWith(inputs.Span, weights.Span, bias.Span, batchSize, d, h, k, buffers, int8Indices, int8Values, kernel, Parallelism.MaxThreads), seconds);
        var times = buffers.LastTimes;
        ReportBound(output, inputs.Span, weights.Span, bias.Span, preActivations.Span, d, h, kernel.InputLevels);
        bool same = fp32Indices.AsSpan().SequenceEqual(int8Indices);
        double fp32Median = fp32[fp32.Length / 2], int8Median = int8[int8.Length / 2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{batchSize,6} {d,5} {h,5} {k,3} {fp32Median * 1e3,8:F2} {fp32[0] * 1e3,7:F2} {int8Median * 1e3,8:F2} {int8[0] * 1e3,7:F2} {fp32Median / int8Median,8:F2} {(double)candidates / batchSize,8:F1} {(same ? "yes" : "NO"),5}  {times.WeightQuantisation * 1e3:F2} {times.InputQuantisation * 1e3:F2} {times.Product * 1e3:F2} {times.Selection * 1e3:F2}"));
    }

    /// <summary>
    /// How loose the bound is: over the first rows, the mean of E_j and of the actual |f_j - q_j| (f the fp32
    /// encoder's value, q the int8 estimate), both in units of the rows' pre-activation spread. Cauchy-Schwarz
    /// bounds e_x . w by ||e_x|| ||w||, while independent rounding errors cancel to about that over sqrt(d).
    /// </summary>
    private static void ReportBound(TextWriter output, ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, ReadOnlySpan<float> fp32, int d, int h, int inputLevels)
    {
        float rho = Int8SelectBound.Rho(d);
        var quantized = Int8SelectReference.QuantizeWeights(weights, h, d, rho);
        var estimates = new float[h];
        var bounds = new float[h];
        double boundSum = 0, actualSum = 0, actualMax = 0, spreadSum = 0;
        for (int b = 0; b < BoundRows; b++)
        {
            Int8SelectReference.Estimates(inputs.Slice(b * d, d), quantized, bias, inputLevels, rho, estimates, bounds);
            double squares = 0;
            for (int j = 0; j < h; j++)
            {
                float value = fp32[b * h + j];
                boundSum += bounds[j];
                actualSum += Math.Abs(value - estimates[j]);
                actualMax = Math.Max(actualMax, Math.Abs(value - estimates[j]));
                squares += (double)value * value;
            }
            spreadSum += Math.Sqrt(squares / h);
        }
        double count = (double)BoundRows * h, spread = spreadSum / BoundRows;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  bound over {BoundRows} rows, in units of the rms pre-activation {spread:G3}: mean E {boundSum / count / spread:F3}, actual |f - q| mean {actualSum / count / spread:F4} max {actualMax / spread:F4}; E / mean actual = {boundSum / actualSum:F0}"));
    }
}

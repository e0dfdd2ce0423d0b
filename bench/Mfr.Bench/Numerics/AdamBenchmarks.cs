using BenchmarkDotNet.Attributes;
using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary><see cref="Adam.Step"/> on the weights of the synthetic (512 x 256) and EEG (4096 x 4750) SAEs.</summary>
[MemoryDiagnoser]
public class AdamBenchmarks : IDisposable
{
    private readonly AdamSettings settings = new(1e-4f);
    private AlignedBuffer parameters = new(0), gradients = new(0), firstMoment = new(0), secondMoment = new(0);
    private long step;

    [Params(512 * 256, 4096 * 4750)]
    public int Length { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Each fast variant of the adam family this machine runs (<see cref="KernelRegistry"/>).</summary>
    [ParamsSource(nameof(Variants))]
    public string Variant { get; set; } = "portable";

    public static IEnumerable<string> Variants => KernelChoice.SupportedFastVariants("adam");

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(5);
        parameters = new AlignedBuffer(Length);
        gradients = new AlignedBuffer(Length);
        rng.FillGaussian(parameters.Span);
        rng.FillGaussian(gradients.Span);
        firstMoment = new AlignedBuffer(Length);
        secondMoment = new AlignedBuffer(Length);
        Parallelism.MaxThreads = Threads;
        KernelChoice.Select("adam", Variant);
    }

    [Benchmark]
    public void Step() => Adam.Step(parameters.Span, gradients.Span, firstMoment.Span, secondMoment.Span, settings, ++step);

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var buffer in new[] { parameters, gradients, firstMoment, secondMoment }) buffer.Dispose();
        GC.SuppressFinalize(this);
    }
}

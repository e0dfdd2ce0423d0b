using BenchmarkDotNet.Attributes;
using Mfr.Numerics;

namespace Mfr.Bench.Numerics;

/// <summary><see cref="Adam.Step"/> on the weights of the synthetic (512 x 256) and EEG (4096 x 4750) SAEs.</summary>
[MemoryDiagnoser]
public class AdamBenchmarks
{
    private readonly AdamSettings settings = new(1e-4f);
    private float[] parameters = [], gradients = [], firstMoment = [], secondMoment = [];
    private long step;

    [Params(512 * 256, 4096 * 4750)]
    public int Length { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Rng(5);
        parameters = new float[Length];
        gradients = new float[Length];
        rng.FillGaussian(parameters);
        rng.FillGaussian(gradients);
        firstMoment = new float[Length];
        secondMoment = new float[Length];
        Parallelism.MaxThreads = Threads;
    }

    [Benchmark]
    public void Step() => Adam.Step(parameters, gradients, firstMoment, secondMoment, settings, ++step);
}

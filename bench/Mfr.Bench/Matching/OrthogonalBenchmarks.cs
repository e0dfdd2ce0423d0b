using BenchmarkDotNet.Attributes;
using Mfr.Numerics;

namespace Mfr.Bench.Matching;

/// <summary>
/// <see cref="Orthogonal.Fill"/> at the SAE shapes of the three experiments: synthetic [512, 256],
/// GPT-2 [3072, 768], EEG [4096, 4750] (called for each SAE and at every MFR re-initialisation).
/// Run: <c>dotnet run -c Release --project bench/Mfr.Bench -- --filter *OrthogonalBenchmarks*</c>;
/// <c>MFR_ORTHOGONAL_SHAPES=512x256,3072x768</c> restricts the shapes.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class OrthogonalBenchmarks
{
    private float[] matrix = [];

    /// <summary>Shapes to run, from MFR_ORTHOGONAL_SHAPES or the three experiments'.</summary>
    public static IEnumerable<string> Shapes =>
        Environment.GetEnvironmentVariable("MFR_ORTHOGONAL_SHAPES")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? ["512x256", "3072x768", "4096x4750"];

    /// <summary>Shape as "rows x cols".</summary>
    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "512x256";

    private int Rows => int.Parse(Shape.Split('x')[0]);

    private int Cols => int.Parse(Shape.Split('x')[1]);

    [GlobalSetup]
    public void Setup() => matrix = new float[Rows * Cols];

    [Benchmark]
    public float Fill()
    {
        var rng = new Rng(1);
        Orthogonal.Fill(matrix, Rows, Cols, ref rng);
        return matrix[0];
    }
}

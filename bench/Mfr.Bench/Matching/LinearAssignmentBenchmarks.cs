using BenchmarkDotNet.Attributes;
using Mfr.Matching;
using Mfr.Numerics;

namespace Mfr.Bench.Matching;

/// <summary>
/// Exact assignment on MMCS cosine matrices [h, h]: cold solves, and warm starts from the optimum
/// of the matrix before a training-step-sized change (each row of the second set moved by 1e-3 of
/// its norm). <c>Random</c> pairs two independent sets of unit vectors (fresh SAEs, the hard case);
/// otherwise the second set is a permuted noisy copy of the first (SAEs that agree). <c>Candidate*</c> run the candidate-list
/// solver on the same problems.
/// Run: <c>dotnet run -c Release --project bench/Mfr.Bench -- --filter *LinearAssignmentBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class LinearAssignmentBenchmarks
{
    private float[] before = [];
    private float[] after = [];
    private readonly LinearAssignmentResult start = new();
    private readonly LinearAssignmentResult result = new();
    private readonly LinearAssignmentWorkspace workspace = new();
    private readonly CandidateAssignmentWorkspace candidateWorkspace = new();

    /// <summary>Latents h (the matrix is h x h); d = h / 4.</summary>
    [Params(512, 3072)]
    public int Latents { get; set; }

    /// <summary>Independent random sets (true) or a permuted noisy copy (false).</summary>
    [Params(true, false)]
    public bool Random { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int dimension = Latents / 4;
        var rng = new Rng(7);
        var first = UnitRows(Latents, dimension, ref rng);
        var second = Random ? UnitRows(Latents, dimension, ref rng) : PermutedNoisyCopy(first, Latents, dimension, ref rng);
        before = CosineSimilarity.Compute(first, second, Latents, Latents, dimension);
        Perturb(second, Latents, dimension, 1e-3, ref rng);
        after = CosineSimilarity.Compute(first, second, Latents, Latents, dimension);
        LinearAssignment.MaximizeSimilarity(before, Latents, Latents, start, workspace);
        LinearAssignment.MaximizeSimilarity(after, Latents, Latents, result, workspace);
    }

    [Benchmark(Baseline = true)]
    public double Cold()
    {
        LinearAssignment.MaximizeSimilarity(after, Latents, Latents, result, workspace);
        return result.Total;
    }

    [Benchmark]
    public double Warm()
    {
        start.CopyTo(result);
        LinearAssignment.MaximizeSimilarity(after, Latents, Latents, result, workspace, warmStart: true);
        return result.Total;
    }

    /// <summary>The candidate-list solver (<see cref="CandidateAssignment"/>), cold.</summary>
    [Benchmark]
    public double CandidateCold()
    {
        CandidateAssignment.MaximizeSimilarity(after, Latents, Latents, result, candidateWorkspace);
        return result.Total;
    }

    /// <summary>The candidate-list solver warm-started from the optimum before the change.</summary>
    [Benchmark]
    public double CandidateWarm()
    {
        start.CopyTo(result);
        CandidateAssignment.MaximizeSimilarity(after, Latents, Latents, result, candidateWorkspace, warmStart: true);
        return result.Total;
    }

    private static float[] UnitRows(int rows, int dimension, ref Rng rng)
    {
        var matrix = new float[rows * dimension];
        rng.FillGaussian(matrix);
        CosineSimilarity.NormalizeRows(matrix, rows, dimension, matrix);
        return matrix;
    }

    private static float[] PermutedNoisyCopy(float[] source, int rows, int dimension, ref Rng rng)
    {
        var copy = new float[source.Length];
        for (int row = 0; row < rows; row++)
            source.AsSpan((rows - 1 - row) * dimension, dimension).CopyTo(copy.AsSpan(row * dimension, dimension));
        Perturb(copy, rows, dimension, 0.5, ref rng);
        return copy;
    }

    private static void Perturb(float[] matrix, int rows, int dimension, double relative, ref Rng rng)
    {
        float scale = (float)(relative / Math.Sqrt(dimension));
        for (int i = 0; i < matrix.Length; i++) matrix[i] += scale * rng.NextGaussian();
        CosineSimilarity.NormalizeRows(matrix, rows, dimension, matrix);
    }
}

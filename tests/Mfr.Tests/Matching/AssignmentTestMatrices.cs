using Mfr.Numerics;

namespace Mfr.Tests.Matching;

/// <summary>Seeded test matrices for the assignment tests.</summary>
internal static class AssignmentTestMatrices
{
    public static float[] Uniform(int rows, int columns, ulong seed, float low = -1, float high = 1)
    {
        var rng = new Rng(seed);
        var matrix = new float[rows * columns];
        for (int i = 0; i < matrix.Length; i++) matrix[i] = low + (high - low) * rng.NextFloat();
        return matrix;
    }

    /// <summary>Small integers in [low, high]: many ties.</summary>
    public static float[] Integers(int rows, int columns, ulong seed, int low, int high)
    {
        var rng = new Rng(seed);
        var matrix = new float[rows * columns];
        for (int i = 0; i < matrix.Length; i++) matrix[i] = low + rng.NextInt(high - low + 1);
        return matrix;
    }

    /// <summary>Adds uniform noise of half-width <paramref name="scale"/> to every entry.</summary>
    public static float[] Perturbed(float[] matrix, float scale, ulong seed)
    {
        var rng = new Rng(seed);
        var result = new float[matrix.Length];
        for (int i = 0; i < matrix.Length; i++) result[i] = matrix[i] + scale * (2 * rng.NextFloat() - 1);
        return result;
    }
}

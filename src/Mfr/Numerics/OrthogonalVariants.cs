namespace Mfr.Numerics;

/// <summary>The orthogonal-initialisation family (<see cref="KernelRegistry.Orthogonal"/>), shape already checked by <see cref="Orthogonal.Fill"/>.</summary>
internal interface IOrthogonalKernel : IKernelVariant
{
    /// <summary>See <see cref="Orthogonal.Fill"/>.</summary>
    void Fill(Span<float> matrix, int rows, int cols, ref Rng rng);
}

/// <summary>The orthogonal reference: <see cref="OrthogonalReference"/>, modified Gram-Schmidt twice in double (O(min^2 max): slow at large shapes).</summary>
internal sealed class OrthogonalReferenceKernel() : KernelVariant(KernelLevel.Reference, "Gram-Schmidt twice, in double"), IOrthogonalKernel
{
    public void Fill(Span<float> matrix, int rows, int cols, ref Rng rng) => OrthogonalReference.FillChecked(matrix, rows, cols, ref rng);
}

/// <summary>The fast orthogonal initialisation: <see cref="Orthogonal"/>'s blocked Gram-Schmidt.</summary>
internal sealed class OrthogonalPortableKernel() : KernelVariant(KernelLevel.Portable, "blocked Gram-Schmidt, Vector<T> and GEMM"), IOrthogonalKernel
{
    public void Fill(Span<float> matrix, int rows, int cols, ref Rng rng) => Orthogonal.FillFast(matrix, rows, cols, ref rng);
}

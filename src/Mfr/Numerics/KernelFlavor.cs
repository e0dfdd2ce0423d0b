namespace Mfr.Numerics;

/// <summary>
/// Which implementation the fast kernels (<see cref="Gemm"/>, <see cref="TopK"/>,
/// <see cref="SparseKernels"/>, <see cref="Adam"/>) run (STYLE.md 3: named variants with an
/// override switch, like Sep's parser factory or sparsify's SPARSIFY_DISABLE_TRITON).
/// </summary>
public enum KernelFlavor
{
    /// <summary><see cref="Avx512"/> when 512-bit vectors are hardware accelerated, else <see cref="Portable"/>.</summary>
    Auto,

    /// <summary>Vector512 / AVX-512F kernels (falls back to <see cref="Portable"/> on hardware without AVX-512).</summary>
    Avx512,

    /// <summary>Vector256 kernels: correct everywhere, fast on AVX2 hardware.</summary>
    Portable,

    /// <summary>The plain scalar references (slow; for debugging a suspected kernel bug).</summary>
    Reference,
}

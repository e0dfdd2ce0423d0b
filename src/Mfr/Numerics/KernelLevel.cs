namespace Mfr.Numerics;

/// <summary>
/// The instruction-set tier of a kernel variant, in increasing order (STYLE.md 3: named variants with
/// an override switch). A request for a level (<c>MFR_KERNELS</c>, see <see cref="KernelSelection"/>)
/// runs, in every family, the highest variant at or below it that this machine supports.
/// </summary>
public enum KernelLevel
{
    /// <summary>The plain scalar specification the fast variants are tested against (slow; for debugging a suspected kernel bug).</summary>
    Reference = 0,

    /// <summary><c>Vector&lt;T&gt;</c> or <c>Vector256</c> code: correct on every machine, fast where 256-bit vectors are accelerated (AVX2).</summary>
    Portable = 1,

    /// <summary>Code that needs AVX2 and FMA; as a request, "no AVX-512" (only int8select has an AVX2 variant; the other families run their portable ones).</summary>
    Avx2 = 2,

    /// <summary>Vector512 / AVX-512F code.</summary>
    Avx512 = 3,
}

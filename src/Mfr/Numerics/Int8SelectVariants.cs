using System.Runtime.Intrinsics.X86;

namespace Mfr.Numerics;

/// <summary>The int8-select family (<see cref="KernelRegistry.Int8Select"/>): the whole encoder, shapes already checked by <see cref="Int8SelectEncoder"/>.</summary>
internal interface IInt8SelectKernel : IKernelVariant
{
    /// <summary>Quantisation levels of the inputs this variant uses (127 or 63); the output does not depend on it, the candidate count does.</summary>
    int InputLevels { get; }

    /// <summary>See <see cref="Int8SelectReference.Encode"/>; returns the candidates summed over rows.</summary>
    /// <param name="inputs">x, <c>[batchSize, inputDim]</c>.</param>
    /// <param name="weights">W, <c>[latentCount, inputDim]</c>.</param>
    /// <param name="bias">b, <c>[latentCount]</c>.</param>
    /// <param name="batchSize">B.</param>
    /// <param name="inputDim">d.</param>
    /// <param name="latentCount">h.</param>
    /// <param name="k">Latents kept per row.</param>
    /// <param name="buffers">Buffers for the shape.</param>
    /// <param name="indices">Output columns, <c>[batchSize, k]</c>.</param>
    /// <param name="values">Output pre-activations, <c>[batchSize, k]</c>.</param>
    /// <param name="maxThreads">Thread limit.</param>
    long Encode(ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k,
        Int8SelectBuffers buffers, Span<int> indices, Span<float> values, int maxThreads);
}

/// <summary>The int8-select reference: <see cref="Int8SelectReference"/> with 8-bit inputs, single-threaded, allocating.</summary>
internal sealed class Int8SelectReferenceKernel() : KernelVariant(KernelLevel.Reference, "scalar quantisation, integer dots and selection"), IInt8SelectKernel
{
    public int InputLevels => 127;

    public long Encode(ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k,
        Int8SelectBuffers buffers, Span<int> indices, Span<float> values, int maxThreads)
        => Int8SelectReference.Encode(inputs, weights, bias, batchSize, inputDim, latentCount, k, InputLevels, indices, values);
}

/// <summary>The vector path around one micro-kernel (<see cref="Int8SelectEncoder.EncodeFast{TKernel}"/>).</summary>
/// <typeparam name="TMicroKernel">The integer product's register tile.</typeparam>
/// <param name="level">The level it is registered at.</param>
/// <param name="description">Its instructions and tile.</param>
internal sealed class Int8SelectVectorKernel<TMicroKernel>(KernelLevel level, string description) : KernelVariant(level, description), IInt8SelectKernel
    where TMicroKernel : struct, IInt8MicroKernel
{
    public int InputLevels => TMicroKernel.InputLevels;

    public override string? UnsupportedReason => TMicroKernel.UnsupportedReason ?? base.UnsupportedReason;

    public long Encode(ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k,
        Int8SelectBuffers buffers, Span<int> indices, Span<float> values, int maxThreads)
        => Int8SelectEncoder.EncodeFast<TMicroKernel>(inputs, weights, bias, batchSize, inputDim, latentCount, k, buffers, indices, values, maxThreads);
}

/// <summary>
/// The AVX-512 level: AVX-VNNI's vpdpbusd (8-bit inputs, 32 multiply-adds per instruction) where the CPU has it
/// (Sapphire Rapids, Zen 5), else AVX-512BW's vpmaddubsw + vpmaddwd (7-bit inputs; Zen 4, Skylake-X). One variant
/// per level is registered, so the choice between the two is made here, once.
/// </summary>
internal sealed class Int8SelectAvx512Kernel() : KernelVariant(KernelLevel.Avx512, AvxVnni.IsSupported ? "AVX-VNNI vpdpbusd 6 x 16 ymm tile" : "AVX-512BW vpmaddubsw 8 x 32 zmm tile"), IInt8SelectKernel
{
    private readonly IInt8SelectKernel inner = AvxVnni.IsSupported
        ? new Int8SelectVectorKernel<Int8MicroKernelAvxVnni>(KernelLevel.Avx512, "AVX-VNNI")
        : new Int8SelectVectorKernel<Int8MicroKernelAvx512Bw>(KernelLevel.Avx512, "AVX-512BW");

    public int InputLevels => inner.InputLevels;

    public override string? UnsupportedReason => base.UnsupportedReason ?? inner.UnsupportedReason;

    public long Encode(ReadOnlySpan<float> inputs, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, int batchSize, int inputDim, int latentCount, int k,
        Int8SelectBuffers buffers, Span<int> indices, Span<float> values, int maxThreads)
        => inner.Encode(inputs, weights, bias, batchSize, inputDim, latentCount, k, buffers, indices, values, maxThreads);
}

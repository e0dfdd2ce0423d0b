namespace Mfr.Numerics;

/// <summary>
/// The few float-vector operations the width-generic kernels need (STYLE.md 3), implemented for
/// Vector512 (<see cref="VectorOps512"/>) and Vector256 (<see cref="VectorOps256"/>). Kernels are
/// generic over a struct implementing this, so the JIT compiles one specialised, fully inlined copy
/// per width (the BCL's ISimdVector is internal).
/// </summary>
internal unsafe interface IVectorOps<TVector>
    where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    static abstract TVector Broadcast(float value);

    /// <summary><c>a * b + c</c>, fused when the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    static abstract TVector Sqrt(TVector value);

    /// <summary>Sum of the lanes.</summary>
    static abstract float Sum(TVector value);

    /// <summary>The lane sums of four vectors, <c>[Sum(a), Sum(b), Sum(c), Sum(d)]</c>, by a shuffle tree shared between them.</summary>
    static abstract System.Runtime.Intrinsics.Vector128<float> Sum4(TVector a, TVector b, TVector c, TVector d);
}

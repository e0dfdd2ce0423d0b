namespace Mfr.Numerics;

/// <summary>
/// Compile-time sizes of the per-lane sorting networks in the TopK kernels (<see cref="TopKAvx512"/>,
/// <see cref="TopKPortable"/>): the rank (each lane keeps its <see cref="Value"/> largest keys in that
/// many registers) and, in the portable kernel, the vectors per step. Type parameters rather than
/// arguments so the JIT unrolls the network and keeps every register of it in a machine register.
/// </summary>
internal interface ILaneRank
{
    static abstract int Value { get; }
}

internal readonly struct Rank1 : ILaneRank
{
    public static int Value => 1;
}

internal readonly struct Rank2 : ILaneRank
{
    public static int Value => 2;
}

internal readonly struct Rank3 : ILaneRank
{
    public static int Value => 3;
}

internal readonly struct Rank4 : ILaneRank
{
    public static int Value => 4;
}

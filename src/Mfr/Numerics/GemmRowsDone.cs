namespace Mfr.Numerics;

/// <summary>
/// A callback the GEMM runs on finished rows of C: <c>Function(State, firstRow, endRow)</c>, after the row vector is
/// added. When one GEMM part computes whole rows (see <see cref="GemmDriver{TKernel}.Multiply"/>) it runs on that part's
/// thread right after the part's last tile, while the rows are in L2 (the SAE encoder selects its TopK there, issue 16
/// item 1); otherwise on row ranges after the product. The ranges cover every row once, in no particular order and
/// possibly on several threads at once, so the callback must only touch its own rows. Empty (no function) by default.
/// </summary>
/// <param name="function">The callback; must not throw.</param>
/// <param name="state">Its state, passed back unchanged.</param>
internal readonly unsafe struct GemmRowsDone(delegate*<void*, int, int, void> function, void* state)
{
    /// <summary>The callback.</summary>
    public delegate*<void*, int, int, void> Function { get; } = function;

    /// <summary>Its state.</summary>
    public void* State { get; } = state;

    /// <summary>True when there is a callback.</summary>
    public bool IsSet => Function != null;

    /// <summary>Runs the callback on rows [first, end).</summary>
    public void Run(int first, int end)
    {
        if (Function != null && end > first) Function(State, first, end);
    }
}

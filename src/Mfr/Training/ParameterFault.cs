namespace Mfr.Training;

/// <summary>Which parameter of an SAE stopped being finite after an update (<see cref="Trainer"/>, issue 13 class 4).</summary>
/// <param name="Member">The SAE.</param>
/// <param name="Kind">W row, b or b_dec.</param>
/// <param name="Index">Row of W, latent of b or column of b_dec.</param>
/// <param name="Value">The non-finite value: W's row norm, or the entry.</param>
public readonly record struct ParameterFault(int Member, ParameterKind Kind, int Index, double Value)
{
    /// <summary>The divergence message's reason.</summary>
    public string Reason => Kind switch
    {
        ParameterKind.WeightRow => $"W row {Index} is not finite after the update, its norm is {Describe(Value)}",
        ParameterKind.Bias => $"b[{Index}] is {Describe(Value)} after the update",
        _ => $"b_dec[{Index}] is {Describe(Value)} after the update",
    };

    /// <summary>"NaN", "+infinity" or "-infinity".</summary>
    public static string Describe(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity";
}

/// <summary>The parameter a <see cref="ParameterFault"/> is in.</summary>
public enum ParameterKind
{
    /// <summary>A row of W (found through its norm).</summary>
    WeightRow,

    /// <summary>An entry of b.</summary>
    Bias,

    /// <summary>An entry of b_dec.</summary>
    DecoderBias,
}

namespace Mfr.Numerics;

/// <summary>
/// Adam / AdamW hyperparameters. Defaults are the paper's (SPEC 1): beta1 0.9, beta2 0.999,
/// eps 1e-8, decoupled weight decay 0.01 (Loshchilov and Hutter; torch.optim.AdamW's defaults).
/// Plain Adam (the published code) is <see cref="WeightDecay"/> = 0.
/// </summary>
/// <param name="LearningRate">Step size.</param>
/// <param name="Beta1">First-moment decay.</param>
/// <param name="Beta2">Second-moment decay.</param>
/// <param name="Epsilon">Added to the root of the second moment.</param>
/// <param name="WeightDecay">Decoupled weight decay: <c>p -= lr * WeightDecay * p</c> before the Adam step.</param>
public sealed record AdamSettings(float LearningRate, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f, float WeightDecay = 0.01f)
{
    /// <summary>Throws <see cref="ArgumentException"/> on an out-of-range value.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate)) throw new ArgumentException($"Learning rate must be a positive number, got {LearningRate}.");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentException($"Adam beta1 must be in [0, 1), got {Beta1}.");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentException($"Adam beta2 must be in [0, 1), got {Beta2}.");
        if (!(Epsilon > 0)) throw new ArgumentException($"Adam epsilon must be positive, got {Epsilon}.");
        if (!(WeightDecay >= 0)) throw new ArgumentException($"Weight decay must be non-negative, got {WeightDecay}.");
    }
}

namespace Mfr.Gpt2;

/// <summary>Next-token cross-entropy of a batch (see <see cref="Gpt2Model.ComputeLoss"/>).</summary>
/// <param name="MeanCrossEntropy">Mean of <c>-log p(token t+1 | tokens 0..t)</c> in nats over all predictions.</param>
/// <param name="PredictionCount">Predictions averaged: <c>batchSize * (sequenceLength - 1)</c>.</param>
public sealed record Gpt2LossResult(double MeanCrossEntropy, long PredictionCount);
